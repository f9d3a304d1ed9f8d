#!/usr/bin/env node
import * as fs from 'fs';
import yargs, { Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BUNDLED_TEMPLATES, check, diff, generate, generateAndWrite, loadTemplates } from '../index';
import { ANSI, NO_COLOURS, renderMarkdown, renderText } from '../diff/render-report';
import { projectSchema } from '../model/schema';
import { starterProject } from '../init/starter';
import { ID_PATTERN } from '../model/validate';
import { REGION_PATTERN } from '../model/partition';
import * as path from 'path';
import { serialise } from '../policy/normalise';
import { formatProblem, hasErrors, Problem } from '../problems';

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

interface CommonArgs {
  projects: string;
  templates?: string;
  out: string;
}

/** `./templates` when the working folder has one (the user's edited copy), else the bundled templates. */
function templatesDir(args: CommonArgs): string {
  if (args.templates) return args.templates;
  return fs.existsSync('templates') ? 'templates' : BUNDLED_TEMPLATES;
}

/** Findings of the checks name a policy; any other error is bad input. */
function exitFor(problems: Problem[]): number {
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return EXIT.ok;
  return errors.every((p) => p.policy) ? EXIT.findings : EXIT.error;
}

function countText(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

function runGenerate(args: CommonArgs & { targets?: string[]; prune?: boolean; format: 'json' | 'cloudformation' | 'terraform' }): number {
  const result = generateAndWrite({ targets: args.targets, projectsDir: args.projects, templatesDir: templatesDir(args), outDir: args.out, prune: args.prune, format: args.format });
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (hasErrors(result.problems) || !result.write) {
    process.stderr.write(`${countText(result.problems)}; nothing was written to ${args.out}\n`);
    return exitFor(result.problems);
  }
  const policies = (list: string[]) => list.filter((f) => !f.endsWith('manifest.json')).length;
  const manifests = result.write.written.length - policies(result.write.written);
  const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
  process.stdout.write(
    `${plural(result.projects.length, 'project')}: ${plural(policies(result.write.written), 'policy', 'policies')} written, ` +
      `${policies(result.write.unchanged)} unchanged${manifests > 0 ? `, ${plural(manifests, 'manifest')} written` : ''}` +
      `${result.write.removed.length > 0 ? `, ${plural(result.write.removed.length, 'file')} no longer generated removed` : ''} (in ${args.out})\n`,
  );
  return EXIT.ok;
}

/** Is output/ what generate would write? Lists every changed, missing and orphaned file; writes nothing. */
function runCheck(args: CommonArgs & { targets?: string[] }): number {
  const result = check({ targets: args.targets, projectsDir: args.projects, templatesDir: templatesDir(args), outDir: args.out });
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!result.stale) {
    process.stderr.write(`${countText(result.problems)}; cannot check ${args.out}\n`);
    return EXIT.error;
  }
  const { changed, missing, orphaned } = result.stale;
  for (const [label, files] of [['changed', changed], ['missing', missing], ['orphaned', orphaned]] as const) {
    for (const file of files) process.stdout.write(`${label.padEnd(8)} ${args.out}/${file}\n`);
  }
  if (result.upToDate) {
    process.stdout.write(`${args.out} is up to date (${result.projects.length} project${result.projects.length === 1 ? '' : 's'})\n`);
    return EXIT.ok;
  }
  const hint = orphaned.length > 0 ? 'run codestar-policy generate --prune' : 'run codestar-policy generate';
  process.stdout.write(`${args.out} is stale: ${changed.length} changed, ${missing.length} missing, ${orphaned.length} orphaned; ${hint}\n`);
  return EXIT.findings;
}

/** Colour on a terminal, unless NO_COLOR is set (https://no-color.org); never when piped. */
export function useColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return Boolean(isTTY) && !env.NO_COLOR;
}

interface DiffArgs extends CommonArgs {
  targets?: string[];
  base?: string;
  format: 'text' | 'markdown' | 'json';
  failOn: 'change' | 'broaden';
}

/** Who gains or loses what, and why. Exit 0 no change, 1 changes (with --fail-on broaden: only gains), 2 error. */
function runDiff(args: DiffArgs): number {
  const result = diff({ targets: args.targets, projectsDir: args.projects, templatesDir: templatesDir(args), outDir: args.out, base: args.base });
  for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!result.report) {
    process.stderr.write(`${countText(result.problems)}; no diff\n`);
    return EXIT.error;
  }
  const report = result.report;
  const colours = useColour(process.stdout.isTTY, process.env) ? ANSI : NO_COLOURS;
  const text = args.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : args.format === 'markdown' ? renderMarkdown(report) : renderText(report, colours);
  process.stdout.write(text);
  if (report.projects.length === 0) return EXIT.ok;
  return args.failOn === 'broaden' && !report.summary.broadens ? EXIT.ok : EXIT.findings;
}

/** Writes a commented starter project; never overwrites one. */
function runInit(args: { id: string; projects: string; templates?: string; region: string; account: string }): number {
  const refuse = (message: string) => {
    process.stderr.write(`codestar-policy init: ${message}\n`);
    return EXIT.error;
  };
  if (args.id.length < 2 || args.id.length > 15 || !ID_PATTERN.test(args.id)) return refuse(`id ${JSON.stringify(args.id)} breaks CodeStar's rule: 2-15 characters, a lower-case letter then lower-case letters, digits or '-'`);
  if (!REGION_PATTERN.test(args.region)) return refuse(`${JSON.stringify(args.region)} is not an AWS Region code, such as us-east-2`);
  if (!/^\d{12}$/.test(args.account)) return refuse(`account ${JSON.stringify(args.account)} is not 12 digits`);
  const existing = ['.yaml', '.yml'].map((ext) => path.join(args.projects, `${args.id}${ext}`)).find((f) => fs.existsSync(f));
  if (existing) return refuse(`${existing} exists; init never overwrites a project (edit it, or remove it first)`);
  const loaded = loadTemplates(templatesDir({ out: '', ...args }));
  for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!loaded.templates) return EXIT.error;
  const file = path.join(args.projects, `${args.id}.yaml`);
  fs.mkdirSync(args.projects, { recursive: true });
  fs.writeFileSync(file, starterProject(args, loaded.templates.types.values()), { flag: 'wx' });
  process.stdout.write(`wrote ${file}: uncomment its resources, then run codestar-policy generate\n`);
  return EXIT.ok;
}

/** The checks of `generate`, reported without writing anything. */
function runLint(args: CommonArgs & { targets?: string[]; format: 'text' | 'json' }): number {
  const result = generate({ targets: args.targets, projectsDir: args.projects, templatesDir: templatesDir(args), outDir: args.out });
  const code = exitFor(result.problems);
  if (args.format === 'json') {
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    const report = { version: 1, projects: result.projects.map((p) => p.project.id), summary: { errors, warnings: result.problems.length - errors }, findings: result.problems };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return code;
  }
  for (const problem of result.problems) process.stdout.write(`${formatProblem(problem)}\n`);
  const projects = result.projects.length;
  process.stdout.write(`${projects} project${projects === 1 ? '' : 's'} checked: ${countText(result.problems)}\n`);
  return code;
}

function runSchema(args: { templates?: string }): number {
  const loaded = loadTemplates(templatesDir({ projects: '', out: '', ...args }));
  for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!loaded.templates) return EXIT.error;
  process.stdout.write(serialise(projectSchema(loaded.templates.types.values())));
  return EXIT.ok;
}

type Command = 'init' | 'generate' | 'check' | 'diff' | 'lint' | 'schema';

const TEMPLATES_OPTION = { describe: 'Template folder', type: 'string', defaultDescription: 'templates/ if present, else the bundled templates' } as const;

/** The options that every command over projects takes, the same everywhere. */
function projectOptions<T>(y: Argv<T>) {
  return y
    .positional('targets', { describe: 'Project ids or project files (default: every project in --projects)', type: 'string', array: true })
    .option('projects', { describe: 'Folder of project descriptions (<id>.yaml)', type: 'string', default: 'projects' })
    .option('templates', TEMPLATES_OPTION)
    .option('out', { describe: 'Output folder', type: 'string', default: 'output' });
}

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
  try {
    if (chosen === 'init') return runInit(args as unknown as { id: string; projects: string; templates?: string; region: string; account: string });
    if (chosen === 'generate') return runGenerate(args as unknown as CommonArgs & { targets?: string[]; prune?: boolean; format: 'json' | 'cloudformation' | 'terraform' });
    if (chosen === 'check') return runCheck(args as unknown as CommonArgs & { targets?: string[] });
    if (chosen === 'diff') return runDiff(args as unknown as DiffArgs);
    if (chosen === 'lint') return runLint(args as unknown as CommonArgs & { targets?: string[]; format: 'text' | 'json' });
    if (chosen === 'schema') return runSchema(args as { templates?: string });
  } catch (error) {
    // A file system refusal (a read-only folder, a file where a folder should be) is the user's to
    // fix, not a crash: say which path and why. Anything else is a bug and keeps its stack.
    const io = error as NodeJS.ErrnoException;
    if (!io.code || !io.syscall) throw error;
    process.stderr.write(`codestar-policy: cannot ${io.syscall} ${io.path ?? ''}: ${io.code}\n`);
    return EXIT.error;
  }
  return EXIT.ok; // --help or --version
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
