import * as fs from 'fs';
import * as path from 'path';
import { IamCatalog } from '../analysis/iam-catalog';
import { isolationRecord, IsolationRecord, lintProject } from '../analysis/lint/lint';
import { cloudFormationTemplate } from '../deploy/cloudformation';
import { terraformConfiguration } from '../deploy/terraform';
import { validateProject } from '../model/validate';
import { parseYaml } from '../model/yaml-source';
import { ABSENT, CLOUDFORMATION_TEMPLATE, compareWithOutput, Comparison, CROSS_ACCOUNT, FolderRead, isGenerated, isStale, readFolderAhead, readProjectTree, RESOURCE_POLICIES, TERRAFORM_CONFIGURATION } from '../output/output-tree';
import { buildPolicies, BuiltProject, manifest, partFile } from '../policy/build-policies';
import { Staged, Stager } from '../output/write-files';
import { serialise } from '../policy/normalise';
import { hasErrors, Problem } from '../problems';
import { POLICY_KEYS } from '../render/render-project';
import { TemplateSet } from '../render/templates';
import { CacheEntry, ResultCache, sha256 } from './result-cache';

/** The largest project file read: a hundred times the largest real one. */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

export type OutputFormat = 'json' | 'cloudformation' | 'terraform';

/** What one project file comes to: everything a run needs of it, and nothing it would have to hold for long. */
export interface ProjectOutcome {
  /** Its place in the run's list of files: outcomes are taken in this order, whatever thread made them. */
  index: number;
  file: string;
  /** The id, when the file validated. */
  id?: string;
  /** Where the id is written, for a duplicate id's message. */
  idAt?: { line?: number; column?: number };
  /** Reading, validating and building: bad input or a template mistake. */
  problems: Problem[];
  /** The checks of its policies, isolation aside (that one needs every project). */
  findings: Problem[];
  /** Output files, path under the output folder to bytes; none when the project has an error, or when the run wants none. */
  files: [string, string][];
  /** With `wants: 'differences'`: the files against the output folder. */
  comparison?: Comparison;
  /** With a `stager` too: the files that differ, staged where the project was built (then `files` is empty). */
  staged?: Staged;
  /** With `wants: 'changed projects'`: the project's folder holds exactly its files, byte for byte (then `files` is empty). */
  sameOnDisk?: boolean;
  isolation?: IsolationRecord;
  /** The built project itself, only when asked for and only in the thread that built it. */
  built?: BuiltProject;
  /** Taken from the run's cache (`--cache`), not built. */
  fromCache?: true;
}

export interface ProjectContext {
  templates: TemplateSet;
  catalog: IamCatalog;
  outDir: string;
  format?: OutputFormat;
  /** Keep the BuiltProject in the outcome (in process only: it does not cross threads). */
  keepBuilt?: boolean;
  /**
   * What the run needs of the output: all the files (the default); nothing (lint); how they compare
   * with the output folder, with only the files whose bytes differ (generate, check); or the files
   * only of a project whose folder does not hold exactly them (diff against the output folder).
   * Compared where the project is built, unchanged bytes need not cross threads.
   */
  wants?: Wants;
  /** With `wants: 'differences'`, stage the files that differ here (generate): their texts need not cross threads. */
  stager?: Stager;
  /** With `--cache`: outcomes of projects that did not change are taken from it, and those built are kept in it. */
  cache?: ResultCache;
}

export type Wants = 'files' | 'nothing' | 'differences' | 'changed projects';

/** Does a run that wants this read the output folder, to compare each project with its folder there? */
export const comparesWithOutput = (wants: Wants | undefined): boolean => wants === 'differences' || wants === 'changed projects';

/** One project file of a run: its place in the run's list, and whether the run reports on it (else a neighbour). */
export interface WorkItem {
  index: number;
  file: string;
  reported: boolean;
}

/** What is read of a project before it is built: its file, and its folder in the output folder when the run compares with it. */
export interface ReadAhead {
  source: Source;
  folder?: FolderRead;
}

type Source = { text: string } | { problem: Problem };

/**
 * Reads a chunk of project files, and the output folders they are compared with, all at once; then
 * builds and checks each, READ_AHEAD at a time. Measured over 10,000 projects in one thread: reading
 * a project's folder between builds took 650 µs, against 190 to 310 µs back to back, as the system's
 * caches stay warm. With two workers, `check` spent 2 to 3.6 s in the kernel, against 2.5 to 5.9 s.
 */
export function processChunk(work: readonly WorkItem[], context: ProjectContext): ProjectOutcome[] {
  const outcomes: ProjectOutcome[] = [];
  for (let from = 0; from < work.length; from += READ_AHEAD) {
    const group = work.slice(from, from + READ_AHEAD);
    const ahead = group.map((w) => readAhead(w, context));
    group.forEach((w, k) => outcomes.push(processProject(w.file, w.index, w.reported, context, ahead[k])));
  }
  return outcomes;
}

/** 16 at a time raised a `check` of 10,000 projects' peak to 397 to 403 MB, against 369 to 390 without; 4 at a time, 370 to 395. */
const READ_AHEAD = 4;

function readAhead(item: WorkItem, context: ProjectContext): ReadAhead {
  const compares = item.reported && comparesWithOutput(context.wants);
  // The id is the file's name (validated): a file with another id is compared the slow way.
  return { source: readSource(item.file), folder: compares ? readFolderAhead(context.outDir, idOfFile(item.file)) : undefined };
}

/** The id a project file's name gives it: validation holds the id in the file to the same. */
export const idOfFile = (file: string) => path.basename(file).replace(/\.ya?ml$/, '');

function readSource(file: string): Source {
  try {
    // Measured before it is read: a huge file is refused without holding it in memory.
    const size = fs.statSync(file).size;
    if (size > MAX_PROJECT_FILE_BYTES) {
      return {
        problem: {
          code: 'project-too-large',
          severity: 'error',
          message: `the project file is ${megabytes(size)}; a project file may be at most ${megabytes(MAX_PROJECT_FILE_BYTES)}`,
          hint: 'Is it the right file? A project with hundreds of resources is some 50 KB.',
          file,
        },
      };
    }
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: { code: 'project-unreadable', severity: 'error', message: `cannot read the project file (${reason})`, hint: 'Check that it is a readable file.', file } };
  }
}

/**
 * Reads, validates, builds and checks one project file, and serialises its output. A neighbour (a
 * project of the folder that the run does not cover) is built only for the isolation check. `ahead`
 * is what processChunk read of it already. With the run's cache, a project it holds is taken from it
 * when its output folder holds exactly the files the cache says (fromCache); one built is kept in it.
 */
export function processProject(file: string, index: number, reported: boolean, context: ProjectContext, ahead?: ReadAhead): ProjectOutcome {
  const source = ahead?.source ?? readSource(file);
  if ('problem' in source) return { index, file, problems: [source.problem], findings: [], files: [] };
  // A neighbour is not reported on; a run that wants every file (a library's) has no use for hashes.
  const cache = reported && context.wants !== undefined && context.wants !== 'files' ? context.cache : undefined;
  if (!cache) return buildProject(file, index, reported, context, source.text, ahead).outcome;
  const key = cache.keyOf(file, source.text);
  const entry = cache.read(file, key);
  const hit = entry && fromCache(entry, file, index, context, ahead);
  if (hit) return hit;
  const { outcome, files } = buildProject(file, index, reported, context, source.text, ahead);
  // An entry that holds already (the folder differed from it) is not written again.
  const known = entry !== undefined && (entry.output !== undefined || files === undefined);
  if (outcome.id !== undefined && outcome.isolation && !known) {
    cache.write(file, { key, id: outcome.id, idAt: outcome.idAt, problems: outcome.problems, findings: outcome.findings, isolation: outcome.isolation, output: files?.map(([f, text]) => [f, sha256(text)]) });
  }
  return outcome;
}

/** Validates, builds and checks one project from its file's text; `files` are all its output files, when the run made them. */
function buildProject(file: string, index: number, reported: boolean, context: ProjectContext, text: string, ahead?: ReadAhead): { outcome: ProjectOutcome; files?: [string, string][] } {
  const outcome: ProjectOutcome = { index, file, problems: [], findings: [], files: [] };
  const parsed = parseYaml(file, text);
  if (!parsed.source) {
    outcome.problems.push(...parsed.problems);
    return { outcome };
  }
  const validated = validateProject(parsed.source, context.templates.types);
  outcome.problems.push(...validated.problems);
  const project = validated.project;
  if (!project) return { outcome };
  outcome.id = project.id;
  outcome.idAt = project.source.locate(['id']);
  const result = buildPolicies(project, context.templates);
  outcome.problems.push(...result.problems);
  const built = result.built;
  if (!built) return { outcome };
  outcome.isolation = isolationRecord(built, context.outDir, reported);
  if (!reported) return { outcome };
  if (context.keepBuilt) outcome.built = built;
  outcome.findings = lintProject(built, { catalog: context.catalog, outDir: context.outDir });
  if (hasErrors(outcome.problems) || hasErrors(outcome.findings) || context.wants === 'nothing') return { outcome };
  const files = outputFiles(built, context.format, context.catalog.version);
  // Read ahead under the file's name, which validation has made the id (the guard costs nothing).
  const folder = project.id === idOfFile(file) ? ahead?.folder : undefined;
  if (context.wants === 'differences') {
    const comparison = compareWithOutput(context.outDir, project.id, files, folder);
    outcome.comparison = comparison;
    outcome.files = files.filter(([f]) => !comparison.unchanged.includes(f));
    if (context.stager) {
      outcome.staged = context.stager.stage(project.id, outcome.files, comparison);
      outcome.files = [];
    }
  } else if (context.wants === 'changed projects' && sameAsFolder(folder === ABSENT ? new Map() : (folder ?? readProjectTree(context.outDir, project.id)), files)) {
    outcome.sameOnDisk = true;
  } else outcome.files = files;
  return { outcome, files };
}

/**
 * The outcome a cache entry gives, as buildProject would make it; undefined when the entry cannot
 * give it: the output folder does not hold exactly the entry's files (read and hashed now), or the
 * entry has no files (lint wrote it). Then the project is built.
 */
function fromCache(entry: CacheEntry, file: string, index: number, context: ProjectContext, ahead?: ReadAhead): ProjectOutcome | undefined {
  const outcome: ProjectOutcome = { index, file, id: entry.id, idAt: entry.idAt, problems: entry.problems, findings: entry.findings, files: [], isolation: entry.isolation, fromCache: true };
  if (hasErrors(outcome.problems) || hasErrors(outcome.findings) || context.wants === 'nothing') return outcome;
  if (!entry.output) return undefined;
  // The diff compares the folder's generated files only: a deployable form is built.
  if (context.wants === 'changed projects' && !entry.output.every(([f]) => isGenerated(f))) return undefined;
  const folder = entry.id === idOfFile(file) ? ahead?.folder : undefined;
  const comparison = compareWithOutput(context.outDir, entry.id, entry.output, folder, (hash, onDisk) => sha256(onDisk) === hash);
  if (isStale(comparison)) return undefined;
  if (context.wants === 'differences') {
    outcome.comparison = comparison;
    if (context.stager) outcome.staged = context.stager.stage(entry.id, [], comparison);
  } else outcome.sameOnDisk = true;
  return outcome;
}

/** Does the project's folder (its generated files, as read) hold exactly these files, byte for byte? */
export function sameAsFolder(onDisk: ReadonlyMap<string, string>, files: [string, string][]): boolean {
  return onDisk.size === files.length && files.every(([f, text]) => onDisk.get(f) === text);
}

/** A project's output files, path under the output folder to bytes, in the order they are written. */
export function outputFiles(built: BuiltProject, format: OutputFormat | undefined, iamDataVersion: string): [string, string][] {
  const id = built.project.id;
  const files: [string, string][] = [];
  for (const k of POLICY_KEYS) built.parts[k].forEach((doc, i) => files.push([`${id}/${partFile(k, i + 1)}`, serialise(doc)]));
  for (const policy of built.resourcePolicies) files.push([`${id}/${RESOURCE_POLICIES}/${policy.file}`, serialise(policy.doc)]);
  if (built.crossAccount) {
    files.push([`${id}/${CROSS_ACCOUNT}/trust-policy.json`, serialise(built.crossAccount.trustPolicy)]);
    files.push([`${id}/${CROSS_ACCOUNT}/assume-role-policy.json`, serialise(built.crossAccount.assumePolicy)]);
  }
  if (format === 'cloudformation') files.push([`${id}/${CLOUDFORMATION_TEMPLATE}`, serialise(cloudFormationTemplate(built))]);
  if (format === 'terraform') files.push([`${id}/${TERRAFORM_CONFIGURATION}`, serialise(terraformConfiguration(built))]);
  files.push([`${id}/manifest.json`, serialise(manifest(built, iamDataVersion))]);
  return files;
}
