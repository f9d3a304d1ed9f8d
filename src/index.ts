/**
 * codestar-policy as a library: the commands, each a run of the pipeline (src/pipeline/) over the
 * projects with what it does with each project as it comes (a Sink), and with the run at its end.
 */
import * as path from 'path';
import { hasErrors, Problem, sortProblems } from './problems';
import { BuiltProject } from './policy/build-policies';
import { StagedWriter, WriteResult } from './output/write-files';
import { isGenerated, isStale, orphanedFiles, projectFolders, readProjectTree, Staleness } from './output/output-tree';
import { diffOutputs, DiffReport, unreadableOutput } from './diff/diff';
import { outputAtRevision, templatesChangedSince } from './diff/git-tree';
import { RunOptions, runParallel, runSync } from './pipeline/run';
import { processProject, sameAsFolder } from './pipeline/project';

export { Problem, formatProblem, hasErrors } from './problems';
export { Project } from './model/project';
export { PolicyDocument, Statement } from './policy/statement';
export { BuiltProject, POLICY_FILES } from './policy/build-policies';
export { loadTemplates, TemplateSet } from './render/templates';
export { DiffReport } from './diff/diff';
export { projectFiles, RunOptions, WORKER_THRESHOLD } from './pipeline/run';

/** The templates that ship with codestar-policy. */
export const BUNDLED_TEMPLATES = path.resolve(__dirname, '..', 'templates');

export type GenerateOptions = RunOptions;

export interface GenerateResult {
  projects: BuiltProject[];
  /** Output files by path relative to the output folder. Empty when there is any error. */
  files: Map<string, string>;
  problems: Problem[];
}

/** What a run over projects that keeps no output reports: the projects it covered, and its problems. */
export interface RunResult {
  /** The ids of the projects that built, in file order. */
  ids: string[];
  problems: Problem[];
  /** With `cache`: how many of the projects were taken from the cache, not built. */
  fromCache?: number;
}

/**
 * Runs the pipeline in memory, lint included: nothing is written. Files are returned only when there is
 * no error, from bad input or from a check. Holds every project: for a library user and tests; the
 * commands below stream.
 */
export function generate(options: GenerateOptions): GenerateResult {
  const projects: BuiltProject[] = [];
  const files = new Map<string, string>();
  return runSync(options, {
    keepBuilt: true,
    accept(outcome) {
      projects.push(outcome.built!);
      for (const [f, text] of outcome.files) files.set(f, text);
    },
    finish: (run) => ({ projects, files: hasErrors(run.problems) ? new Map() : files, problems: run.problems }),
  });
}

/** Every check of `generate`, reporting the findings, holding nothing else. */
export function lint(options: GenerateOptions): Promise<RunResult> {
  return runParallel(options, { wants: 'nothing', accept() {}, finish: ({ ids, problems }) => ({ ids, problems }) });
}

export type WriteOptions = GenerateOptions & { outDir: string; prune?: boolean };

/**
 * Generates and writes, unless there is an error: then nothing is written. Projects are staged as they
 * come and moved into place at the end (see StagedWriter). With `prune`, a run over every project also
 * removes the output of projects that no longer exist.
 */
export async function generateAndWrite(options: WriteOptions): Promise<RunResult & { write?: WriteResult }> {
  const writer = new StagedWriter(options.outDir);
  try {
    return await runParallel(options, {
      // Each project is compared, and what differs staged, where it is built: no file text comes back.
      // (A project with an error stages nothing, and the run then writes nothing.)
      wants: 'differences',
      staging: writer.staging,
      accept: (outcome) => outcome.staged && writer.record(outcome.staged),
      finish: ({ ids, problems }) => {
        if (hasErrors(problems) || writer.problems.length > 0) {
          writer.abandon();
          return { ids, problems: sortProblems([...problems, ...writer.problems]) };
        }
        const orphans = options.prune && !options.targets?.length ? orphanedFiles(options.outDir, ids) : [];
        return { ids, problems, write: writer.commit(orphans) };
      },
    });
  } catch (error) {
    writer.abandon();
    throw error;
  }
}

/**
 * What regenerating changes, against output/ on disk or, with `base`, output/ as committed at that git
 * revision: who gains or loses which grants, and why. Writes nothing. Holds only the projects that change.
 */
export async function diff(options: GenerateOptions & { outDir: string; base?: string }): Promise<RunResult & { report?: DiffReport }> {
  let atBase: Map<string, string> | undefined;
  let changedTemplates: string[] | undefined;
  try {
    atBase = options.base ? outputAtRevision(options.base, options.outDir) : undefined;
    changedTemplates = options.base ? templatesChangedSince(options.base, options.templatesDir) : undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split('\n')[0];
    const problem: Problem = { code: 'git-failed', severity: 'error', message: `cannot read ${options.outDir} at ${options.base}: ${stderr}`, hint: 'Run it in a git repository, with a revision that exists (git fetch it first in CI).' };
    return { ids: [], problems: [problem] };
  }
  const baseByProject = atBase && byProject(atBase);
  const beforeOf = (id: string) => (baseByProject ? (baseByProject.get(id) ?? new Map<string, string>()) : readProjectTree(options.outDir, id));
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  const changed: { id: string; file: string; built?: BuiltProject }[] = [];
  return runParallel(options, {
    // Against the output folder, each project is compared where it is built: only a changed one's files come back.
    wants: baseByProject ? 'files' : 'changed projects',
    accept(outcome) {
      if (outcome.sameOnDisk) return;
      const old = beforeOf(outcome.id!);
      if (sameAsFolder(old, outcome.files)) return;
      for (const [f, text] of old) before.set(f, text);
      for (const [f, text] of outcome.files) after.set(f, text);
      changed.push({ id: outcome.id!, file: outcome.file, built: outcome.built });
    },
    finish: ({ ids, problems, templates, catalog }) => {
      if (hasErrors(problems) || !templates) return { ids, problems };
      if (!options.targets?.length) {
        // Projects that are gone: everything they had is lost.
        const now = new Set(ids);
        const gone = baseByProject ? [...baseByProject.keys()] : projectFolders(options.outDir);
        for (const id of gone.filter((g) => !now.has(g))) for (const [f, text] of beforeOf(id)) before.set(f, text);
      }
      const unreadable = unreadableProblems(before, options);
      if (unreadable.length > 0) return { ids, problems: sortProblems([...problems, ...unreadable]) };
      // The explanations read the projects that changed; a parallel run built them in other threads.
      const context = { templates, catalog, outDir: options.outDir, format: options.format, keepBuilt: true };
      const projects = changed.map((c) => c.built ?? processProject(c.file, 0, true, context).built!);
      const report = diffOutputs({ before, after, projects, beforeCatalog: catalog, afterCatalog: catalog, changedTemplates, base: options.base ?? options.outDir });
      return { ids, problems, report };
    },
  });
}

/** The output as it was is this tool's, but a hand may have changed it since: what the diff cannot read, it says. */
function unreadableProblems(before: ReadonlyMap<string, string>, options: { outDir: string; base?: string }): Problem[] {
  return [...before].flatMap(([f, text]): Problem[] => {
    const reason = unreadableOutput(f, text);
    if (reason === undefined) return [];
    const file = path.join(options.outDir, f);
    const hint = options.base
      ? 'codestar-policy wrote it otherwise: diff against another revision, or fix the file in a commit of its own.'
      : `codestar-policy wrote it otherwise: restore it (git checkout -- ${file}), or remove it, then diff; generate writes it again.`;
    return [{ code: 'output-unreadable', severity: 'error', message: `the diff cannot read it${options.base ? ` as committed at ${options.base}` : ''}: ${reason}`, hint, file }];
  });
}

/** A tree's generated files, grouped by project, in one pass. */
function byProject(tree: ReadonlyMap<string, string>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [f, text] of tree) {
    if (!isGenerated(f)) continue;
    const id = f.slice(0, f.indexOf('/'));
    const files = out.get(id);
    if (files) files.set(f, text);
    else out.set(id, new Map([[f, text]]));
  }
  return out;
}

/** Compares what a run would write with output/, writing nothing. */
export async function check(options: GenerateOptions & { outDir: string }): Promise<RunResult & { stale?: Staleness; upToDate?: boolean }> {
  const stale: Staleness = { changed: [], missing: [], orphaned: [] };
  return runParallel(options, {
    // Each project is compared where it is built: only the differences come back.
    wants: 'differences',
    accept({ comparison }) {
      if (!comparison) return;
      stale.changed.push(...comparison.changed);
      stale.missing.push(...comparison.missing);
      stale.orphaned.push(...comparison.orphaned);
    },
    finish: ({ ids, problems }) => {
      if (hasErrors(problems)) return { ids, problems };
      if (!options.targets?.length) stale.orphaned.push(...orphanedFiles(options.outDir, ids));
      for (const list of [stale.changed, stale.missing, stale.orphaned]) list.sort();
      return { ids, problems, stale, upToDate: !isStale(stale) };
    },
  });
}
