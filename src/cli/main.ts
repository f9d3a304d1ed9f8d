#!/usr/bin/env node
import yargs, { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { WORKER_THRESHOLD } from '../pipeline/limits';
import type { CommonArgs, DiffArgs } from './commands';
import { EXIT } from './exit-codes';

export { EXIT };
export { useColour } from './terminal';

type Command = 'init' | 'generate' | 'check' | 'diff' | 'lint' | 'schema';

const TEMPLATES_OPTION = { describe: 'Template folder', type: 'string', defaultDescription: 'templates/ if present, else the bundled templates' } as const;

/** The options that every command over projects takes, the same everywhere. */
function projectOptions<T>(y: Argv<T>) {
  return y
    .positional('targets', { describe: 'Project ids or project files (default: every project in --projects)', type: 'string', array: true })
    .option('projects', { describe: 'Folder of project descriptions (<id>.yaml)', type: 'string', default: 'projects' })
    .option('templates', TEMPLATES_OPTION)
    .option('out', { describe: 'Output folder', type: 'string', default: 'output' })
    .option('jobs', { describe: `Worker threads (1: none). Default: one per core, for more than ${WORKER_THRESHOLD} projects`, type: 'number' })
    .option('quiet', { describe: 'No progress bar (it shows only on a terminal, for large runs)', type: 'boolean', default: false })
    .option('cache', { describe: 'Take each project whose file, templates and output are as the last run left them from a cache, not building it again', type: 'boolean', default: false })
    .option('cache-dir', { describe: 'Where --cache keeps its files (implies --cache)', type: 'string', defaultDescription: 'node_modules/.cache/codestar-policy' });
}

/** What the file system's refusals mean, in words. */
const IO_ERRORS: Record<string, string> = {
  ENOSPC: 'no space left on the device; free some and run it again',
  EDQUOT: 'over the disk quota',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a file where a folder should be',
  EEXIST: 'it exists, and is not a folder',
  EISDIR: 'a folder where a file should be',
  EMFILE: 'too many open files',
};

/**
 * Parses first and runs a command only when the whole command line is valid: yargs, told not to exit,
 * would otherwise run a command's handler even after rejecting an option.
 */
export async function main(argv: string[]): Promise<number> {
  let failed = false;
  let chosen: Command | undefined;
  const parser = yargs(argv)
    .scriptName('codestar-policy')
    .usage('$0 <command> [options]\n\nCodeStar-style IAM policies for your projects, from YAML and templates you can read.')
    .command(
      'init <id>',
      'Write a commented starter project, projects/<id>.yaml, listing every resource type',
      (y) =>
        y
          .positional('id', { describe: "The project id (CodeStar's rule: 2-15 characters, ^[a-z][a-z0-9-]+$)", type: 'string', demandOption: true })
          .option('projects', { describe: 'Folder of project descriptions', type: 'string', default: 'projects' })
          .option('templates', TEMPLATES_OPTION)
          .option('region', { describe: 'AWS Region', type: 'string', default: 'us-east-1' })
          .option('account', { describe: 'AWS account id, 12 digits', type: 'string', default: '123456789012' }),
      () => {
        chosen = 'init';
      },
    )
    .command(
      'generate [targets..]',
      'Render the Owner, Contributor, Viewer and service role policies of each project into <out>/<id>/',
      (y) =>
        projectOptions(y)
          .option('prune', { describe: 'Also remove the output of projects that no longer exist', type: 'boolean', default: false })
          .option('format', { describe: 'Also write a deployable form per project: cloudformation.template.json or terraform.tf.json', choices: ['json', 'cloudformation', 'terraform'] as const, default: 'json' as const }),
      () => {
        chosen = 'generate';
      },
    )
    .command(
      'check [targets..]',
      'Exit 1 if output/ is not what generate would write (changed, missing or orphaned files); writes nothing',
      (y) => projectOptions(y),
      () => {
        chosen = 'check';
      },
    )
    .command(
      'diff [targets..]',
      'Who gains or loses which actions on which resources, and why: regenerated against output/, or against output/ at --base',
      (y) =>
        projectOptions(y)
          .option('base', { describe: 'Compare with output/ as committed at this git revision (e.g. origin/main)', type: 'string' })
          .option('format', { describe: 'Report format', choices: ['text', 'markdown', 'json'] as const, default: 'text' as const })
          .option('fail-on', { describe: 'Exit 1 on any change, or only when a role broadens', choices: ['change', 'broaden'] as const, default: 'change' as const }),
      () => {
        chosen = 'diff';
      },
    )
    .command(
      'lint [targets..]',
      'Check the policies that generate would write: IAM validity, role rules, lattice, isolation, size. Writes nothing',
      (y) => projectOptions(y).option('format', { describe: 'Report format', choices: ['text', 'json'] as const, default: 'text' as const }),
      () => {
        chosen = 'lint';
      },
    )
    .command(
      'schema',
      'Print the JSON Schema of a project file, with every resource type of the templates',
      (y) => y.option('templates', TEMPLATES_OPTION),
      () => {
        chosen = 'schema';
      },
    )
    .demandCommand(1, 'Name a command: init, generate, check, diff, lint or schema')
    .strict()
    .help()
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      failed = true;
      process.stderr.write(`${message}\nRun codestar-policy --help for the commands and options.\n`);
    });
  const args = await parser.parseAsync();
  if (failed) return EXIT.error;
  const jobs = (args as { jobs?: number }).jobs;
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) {
    process.stderr.write(`--jobs ${jobs}: give a whole number of worker threads, 1 or more (1 runs without workers)\n`);
    return EXIT.error;
  }
  if (chosen === undefined) return EXIT.ok; // --help or --version: printed, and nothing more to load
  try {
    // The commands, the templates and IAM's data load only now: --help and a usage error stay fast.
    const { runCheck, runDiff, runGenerate, runInit, runLint, runSchema } = await import('./commands');
    if (chosen === 'init') return runInit(args as unknown as { id: string; projects: string; templates?: string; region: string; account: string });
    if (chosen === 'generate') return await runGenerate(args as unknown as CommonArgs & { targets?: string[]; prune?: boolean; format: 'json' | 'cloudformation' | 'terraform' });
    if (chosen === 'check') return await runCheck(args as unknown as CommonArgs & { targets?: string[] });
    if (chosen === 'diff') return await runDiff(args as unknown as DiffArgs);
    if (chosen === 'lint') return await runLint(args as unknown as CommonArgs & { targets?: string[]; format: 'text' | 'json' });
    if (chosen === 'schema') return runSchema(args as { templates?: string });
  } catch (error) {
    // A file system refusal (a read-only folder, a file where a folder should be) is the user's to
    // fix, not a crash: say which path and why. Anything else is a bug and keeps its stack.
    const io = error as NodeJS.ErrnoException;
    if (!io.code || !io.syscall) throw error;
    const why = IO_ERRORS[io.code];
    process.stderr.write(`codestar-policy: cannot ${io.syscall} ${io.path ?? ''}: ${io.code}${why ? ` (${why})` : ''}\n`);
    return EXIT.error;
  }
  return EXIT.ok;
}

if (require.main === module) {
  main(hideBin(process.argv)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`codestar-policy: ${error.stack ?? error.message}\n`);
      process.exitCode = EXIT.error;
    },
  );
}
