import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_TEMPLATES, check, diff, generateAndWrite, lint, loadTemplates } from '../index';
import { EXIT } from './exit-codes';
import { useColour } from './terminal';
import { Progress, progressBar } from './progress';
import { ANSI, NO_COLOURS, renderMarkdown, renderText } from '../diff/render-report';
import { starterProject } from '../init/starter';
import { REGION_PATTERN } from '../model/partition';
import { projectSchema } from '../model/schema';
import { ID_PATTERN } from '../model/validate';
import { DEFAULT_CACHE_LOCATION } from '../pipeline/result-cache';
import { serialise } from '../policy/normalise';
import { formatProblem, formatProblems, hasErrors, Problem } from '../problems';

/** What each command does once its command line is parsed: the only code that prints. */
export { EXIT };

export interface CommonArgs {
  projects: string;
  templates?: string;
  out: string;
  /** Worker threads; default one per core for a large run. */
  jobs?: number;
  /** No progress bar. */
  quiet?: boolean;
  /** Use the run's cache (`--cache`), in `cacheDir` when given (which implies it). */
  cache?: boolean;
  cacheDir?: string;
}

/** `./templates` when the working folder has one (the user's edited copy), else the bundled templates. */
function templatesDir(args: CommonArgs): string {
  if (args.templates) return args.templates;
  return fs.existsSync('templates') ? 'templates' : BUNDLED_TEMPLATES;
}

/** The pipeline's options from a command's arguments, the same for every command over projects. */
function pipelineOptions(args: CommonArgs & { targets?: string[] }, progress: Progress) {
  const cache = args.cacheDir ?? (args.cache ? DEFAULT_CACHE_LOCATION : undefined);
  return { targets: args.targets, projectsDir: args.projects, templatesDir: templatesDir(args), outDir: args.out, jobs: args.jobs, onProgress: progress.update, cache };
}

/** `9 from the cache` when the run used one, for its summary line; else nothing. */
const cacheCount = (args: CommonArgs, fromCache: number | undefined): string | undefined => (args.cache || args.cacheDir !== undefined ? `${fromCache ?? 0} from the cache` : undefined);

/** Runs a command over projects with its progress bar, cleared before the command prints. */
async function withProgress<T>(args: CommonArgs, run: (progress: Progress) => Promise<T>): Promise<T> {
  const progress = progressBar(process.stderr, { quiet: args.quiet });
  try {
    return await run(progress);
  } finally {
    progress.end();
  }
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

export async function runGenerate(args: CommonArgs & { targets?: string[]; prune?: boolean; format: 'json' | 'cloudformation' | 'terraform' }): Promise<number> {
  const result = await withProgress(args, (progress) => generateAndWrite({ ...pipelineOptions(args, progress), prune: args.prune, format: args.format }));
  for (const line of formatProblems(result.problems)) process.stderr.write(`${line}\n`);
  if (hasErrors(result.problems) || !result.write) {
    process.stderr.write(`${countText(result.problems)}; nothing was written to ${args.out}\n`);
    return exitFor(result.problems);
  }
  const cached = cacheCount(args, result.fromCache);
  const policies = (list: string[]) => list.filter((f) => !f.endsWith('manifest.json')).length;
  const manifests = result.write.written.length - policies(result.write.written);
  const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
  process.stdout.write(
    `${plural(result.ids.length, 'project')}: ${plural(policies(result.write.written), 'policy', 'policies')} written, ` +
      `${policies(result.write.unchanged)} unchanged${manifests > 0 ? `, ${plural(manifests, 'manifest')} written` : ''}` +
      `${result.write.removed.length > 0 ? `, ${plural(result.write.removed.length, 'file')} no longer generated removed` : ''} (in ${args.out}${cached ? `; ${cached}` : ''})\n`,
  );
  return EXIT.ok;
}

/** Is output/ what generate would write? Lists every changed, missing and orphaned file; writes nothing. */
export async function runCheck(args: CommonArgs & { targets?: string[] }): Promise<number> {
  const result = await withProgress(args, (progress) => check(pipelineOptions(args, progress)));
  for (const line of formatProblems(result.problems)) process.stderr.write(`${line}\n`);
  if (!result.stale) {
    process.stderr.write(`${countText(result.problems)}; cannot check ${args.out}\n`);
    return EXIT.error;
  }
  const { changed, missing, orphaned } = result.stale;
  for (const [label, files] of [['changed', changed], ['missing', missing], ['orphaned', orphaned]] as const) {
    for (const file of files) process.stdout.write(`${label.padEnd(8)} ${args.out}/${file}\n`);
  }
  const cached = cacheCount(args, result.fromCache);
  if (result.upToDate) {
    process.stdout.write(`${args.out} is up to date (${result.ids.length} project${result.ids.length === 1 ? '' : 's'}${cached ? `, ${cached}` : ''})\n`);
    return EXIT.ok;
  }
  const hint = orphaned.length > 0 ? 'run codestar-policy generate --prune' : 'run codestar-policy generate';
  process.stdout.write(`${args.out} is stale: ${changed.length} changed, ${missing.length} missing, ${orphaned.length} orphaned${cached ? ` (${cached})` : ''}; ${hint}\n`);
  return EXIT.findings;
}


export interface DiffArgs extends CommonArgs {
  targets?: string[];
  base?: string;
  format: 'text' | 'markdown' | 'json';
  failOn: 'change' | 'broaden';
}

/** Who gains or loses what, and why. Exit 0 no change, 1 changes (with --fail-on broaden: only gains), 2 error. */
export async function runDiff(args: DiffArgs): Promise<number> {
  const result = await withProgress(args, (progress) => diff({ ...pipelineOptions(args, progress), base: args.base }));
  for (const line of formatProblems(result.problems)) process.stderr.write(`${line}\n`);
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
export function runInit(args: { id: string; projects: string; templates?: string; region: string; account: string }): number {
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
export async function runLint(args: CommonArgs & { targets?: string[]; format: 'text' | 'json' }): Promise<number> {
  const result = await withProgress(args, (progress) => lint(pipelineOptions(args, progress)));
  const code = exitFor(result.problems);
  if (args.format === 'json') {
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    const report = { version: 1, projects: result.ids, summary: { errors, warnings: result.problems.length - errors }, findings: result.problems };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return code;
  }
  for (const problem of result.problems) process.stdout.write(`${formatProblem(problem)}\n`);
  const projects = result.ids.length;
  const cached = cacheCount(args, result.fromCache);
  process.stdout.write(`${projects} project${projects === 1 ? '' : 's'} checked${cached ? ` (${cached})` : ''}: ${countText(result.problems)}\n`);
  return code;
}

export function runSchema(args: { templates?: string }): number {
  const loaded = loadTemplates(templatesDir({ projects: '', out: '', ...args }));
  for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
  if (!loaded.templates) return EXIT.error;
  process.stdout.write(serialise(projectSchema(loaded.templates.types.values())));
  return EXIT.ok;
}

