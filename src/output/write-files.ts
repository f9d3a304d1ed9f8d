import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Problem } from '../problems';
import { compareWithOutput, Comparison } from './output-tree';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  /** Generated files this run no longer produces: a part no longer needed, an orphan pruned. */
  removed: string[];
}

/** Our working folders under the output folder start with this, then the process id. */
const STAGING_PREFIX = '.codestar-policy-staging-';

/** What staging one project came to: recorded by the StagedWriter, wherever it was staged. */
export interface Staged {
  id: string;
  /** A project new to the output folder: staged whole, its folder to be renamed into place. */
  fresh: boolean;
  /** The files staged (`<id>/...`), whose bytes differ from the output folder's. */
  written: string[];
  unchanged: string[];
  /** Generated files of the project that it no longer has. */
  orphaned: string[];
  /** What stopped it from being staged: a link or a file where its folder should be. */
  problem?: Problem;
}

/**
 * Writes projects' files into a run's staging folder. The StagedWriter stages with one; so does each
 * worker thread of a parallel run, with the writer's staging folder, so that file texts need not
 * cross to the main thread and the writing is shared.
 */
export class Stager {
  private outDirMade = false;

  constructor(
    private readonly outDir: string,
    private readonly staging: string,
  ) {}

  /**
   * Stages one project's files (`<id>/...` paths); `id` names the project's folder. With `compared`,
   * the files were already compared with the output folder where they were built (compareWithOutput):
   * `files` holds only those that differ. Without it, they are compared here, once the folders are
   * known to be no links.
   */
  stage(id: string, files: [string, string][], compared?: Comparison): Staged {
    const folder = path.join(this.outDir, id);
    const paths = [...files.map(([f]) => f), ...(compared?.unchanged ?? [])];
    // Never through a link: a planted output/<id> -> /elsewhere would take the policies out of output/.
    const folders = [folder, ...new Set(paths.map((f) => path.join(this.outDir, path.dirname(f))))].map((dir) => ({ dir, kind: kindOf(dir) }));
    const blocked = folders.find(({ kind }) => kind === 'link' || kind === 'file');
    if (blocked) {
      const problem: Problem = {
        code: 'output-link',
        severity: 'error',
        message: `${blocked.dir} is ${blocked.kind === 'link' ? 'a symbolic link' : 'a file'}, where codestar-policy writes a folder of policies; it never writes through a link`,
        hint: `Remove it (generate then writes the folder there), or choose another --out.`,
        file: blocked.dir,
      };
      return { id, fresh: false, written: [], unchanged: [], orphaned: [], problem };
    }
    if (!compared) {
      compared = compareWithOutput(this.outDir, id, files);
      const unchanged = new Set(compared.unchanged);
      files = files.filter(([f]) => !unchanged.has(f));
    }
    // One mkdir per folder, not per file: a project's files go into one or two folders.
    const made = new Set<string>();
    for (const [relative, text] of files) this.put(relative, text, made);
    const fresh = folders[0].kind === 'none' && compared.unchanged.length === 0;
    return { id, fresh, written: files.map(([f]) => f), unchanged: compared.unchanged, orphaned: fresh ? [] : compared.orphaned };
  }

  private put(relative: string, text: string, made: Set<string>): void {
    const target = path.join(this.staging, relative);
    const folder = path.dirname(target);
    if (!this.outDirMade) {
      // The output folder first: when it is a file, the error names it, not the staging folder inside.
      fs.mkdirSync(this.outDir, { recursive: true });
      // Private, as mkdtemp makes a folder (another thread of the run may have made it already).
      fs.mkdirSync(this.staging, { recursive: true, mode: 0o700 });
      this.outDirMade = true;
    }
    if (!made.has(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    fs.writeFileSync(target, text);
  }
}

/**
 * Writes a run's output without ever leaving a half-written output folder, and touches only the files
 * whose bytes change. Projects are staged as they come, in a hidden folder inside the output folder
 * (made when the first file is staged, by whichever thread stages it):
 * - a project new to the folder is written there whole, then its folder is renamed into place;
 * - in a project already there, each file whose bytes differ is staged, then renamed over the old one.
 * Until `commit`, the output folder shows nothing of the run; `abandon` takes the staging folder away.
 * Renames within one file system are atomic, so a file is always its old or its new content.
 */
export class StagedWriter {
  /** The run's staging folder, for the Stagers of other threads. */
  readonly staging: string;
  private readonly stager: Stager;
  private readonly fresh: string[] = [];
  private readonly changed: string[] = [];
  private readonly stale: string[] = [];
  private readonly unchanged: string[] = [];
  private readonly createdOutDir: boolean;
  /** What stopped a project from being staged: a link or a file where its folder should be. */
  readonly problems: Problem[] = [];

  constructor(private readonly outDir: string) {
    this.createdOutDir = !fs.existsSync(outDir);
    removeLeftovers(outDir);
    // A name of this process (leftovers are told by the pid) that no other run of it has chosen.
    this.staging = path.join(outDir, `${STAGING_PREFIX}${process.pid}-${crypto.randomBytes(6).toString('hex')}`);
    this.stager = new Stager(outDir, this.staging);
  }

  /** Stages one project's files in this thread: see Stager.stage. */
  stage(id: string, files: [string, string][], compared?: Comparison): void {
    this.record(this.stager.stage(id, files, compared));
  }

  /** Takes note of a project staged, here or in another thread, for the commit. */
  record(staged: Staged): void {
    if (staged.problem) this.problems.push(staged.problem);
    else if (staged.fresh) this.fresh.push(staged.id);
    else {
      this.changed.push(...staged.written);
      this.unchanged.push(...staged.unchanged);
      // A part no longer needed, a resource policy of a resource no longer there.
      this.stale.push(...staged.orphaned);
    }
  }

  /** Moves everything staged into place and removes what the run no longer generates (and `prune`: orphans). */
  commit(prune: string[] = []): WriteResult {
    const written: string[] = [];
    for (const id of this.fresh) {
      const from = path.join(this.staging, id);
      const files = listFiles(from).map((f) => `${id}/${f}`);
      try {
        fs.renameSync(from, path.join(this.outDir, id));
      } catch (error) {
        // The folder appeared meanwhile (another run): move file by file instead.
        if (!['EEXIST', 'ENOTEMPTY'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
        for (const relative of files) this.moveIntoPlace(relative);
      }
      written.push(...files);
    }
    for (const relative of this.changed) {
      this.moveIntoPlace(relative);
      written.push(relative);
    }
    const removed: string[] = [];
    for (const relative of [...this.stale, ...prune]) {
      fs.rmSync(path.join(this.outDir, relative), { force: true });
      removed.push(relative);
      removeEmptyFolders(this.outDir, path.dirname(relative));
    }
    this.abandon(false);
    return { written: written.sort(), unchanged: this.unchanged.sort(), removed };
  }

  /** Takes the staging folder away; the output folder is as it was (and gone again if this run made it). */
  abandon(restore = true): void {
    // Nothing to take when nothing was staged (or the output folder is no folder at all).
    if (fs.existsSync(this.staging)) fs.rmSync(this.staging, { recursive: true, force: true });
    if (restore && this.createdOutDir && fs.existsSync(this.outDir) && fs.readdirSync(this.outDir).length === 0) fs.rmdirSync(this.outDir);
  }

  private moveIntoPlace(relative: string): void {
    const target = path.join(this.outDir, relative);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(path.join(this.staging, relative), target);
  }
}

/** What is at a path, links not followed. */
function kindOf(at: string): 'none' | 'folder' | 'link' | 'file' {
  try {
    const stat = fs.lstatSync(at);
    return stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'folder' : 'file';
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return 'none';
    throw error;
  }
}

/** Files under a folder, relative to it, `/`-separated, in path order. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

/**
 * What a killed run left behind: staging folders of processes that are gone, and the temporary files
 * of earlier versions (`<file>.tmp-<pid>-<hex>`). A live run's staging folder is left alone.
 */
function removeLeftovers(outDir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(outDir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length).split('-')[0]);
    if (!isAlive(pid)) fs.rmSync(path.join(outDir, name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `folder` (relative to outDir) and its parents below outDir while they are empty. */
function removeEmptyFolders(outDir: string, folder: string): void {
  for (let at = folder; at !== '.' && at !== ''; at = path.dirname(at)) {
    try {
      fs.rmdirSync(path.join(outDir, at));
    } catch (error) {
      // Not empty, or already gone (another run at the same time): either way, done.
      if (['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
      throw error;
    }
  }
}
