import * as fs from 'fs';
import * as path from 'path';

/**
 * The files this tool writes into a project's folder: a policy, a part of one, the manifest. The
 * deployable forms (`--format`) are written next to them but are not compared by check or diff, which
 * look at the policies themselves.
 */
const GENERATED_FILE = /^(owner|contributor|viewer|service-role)(-\d+)?\.json$|^manifest\.json$/;
export const CLOUDFORMATION_TEMPLATE = 'cloudformation.template.json';
export const TERRAFORM_CONFIGURATION = 'terraform.tf.json';

/** A project's folders of resource-based and cross-account policies: every JSON file in them is generated. */
export const RESOURCE_POLICIES = 'resource-policies';
export const CROSS_ACCOUNT = 'cross-account';
export const GENERATED_FOLDERS = [RESOURCE_POLICIES, CROSS_ACCOUNT];

/** Is `<id>/<file>` or `<id>/<generated folder>/<file>.json` one of the files this tool writes? */
export function isGenerated(relative: string): boolean {
  const parts = relative.split('/');
  if (parts.length === 2) return GENERATED_FILE.test(parts[1]);
  return parts.length === 3 && GENERATED_FOLDERS.includes(parts[1]) && parts[2].endsWith('.json');
}

/** The project folders of an output folder: every folder but our own hidden working ones. */
export function projectFolders(outDir: string): string[] {
  if (!fs.existsSync(outDir)) return [];
  return fs
    .readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}

/** The generated files of the project folders that are not among `ids`: projects that no longer exist. */
export function orphanedFiles(outDir: string, ids: Iterable<string>): string[] {
  const produced = new Set(ids);
  return projectFolders(outDir)
    .filter((id) => !produced.has(id))
    .flatMap((id) => generatedFiles(outDir, id));
}

/** The generated files of one project folder, `<id>/<file>` in path order. */
export function generatedFiles(outDir: string, id: string): string[] {
  // A link is not ours to list: its target may be anywhere. (Asked without throwing: a missing folder
  // is the common case, and an exception costs more than the look-up.)
  if (!isFolder(path.join(outDir, id))) return [];
  return generatedAmong(outDir, id, listFolder(path.join(outDir, id)));
}

/** The generated files of a project folder whose entries are these. */
function generatedAmong(outDir: string, id: string, folderEntries: fs.Dirent[]): string[] {
  const out: string[] = [];
  const entries = [...folderEntries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) if (isGenerated(`${id}/${e.name}`)) out.push(`${id}/${e.name}`);
  for (const folder of GENERATED_FOLDERS) {
    if (!entries.some((e) => e.name === folder && e.isDirectory())) continue;
    const names = listFolder(path.join(outDir, id, folder)).map((e) => e.name);
    for (const name of names.sort()) if (isGenerated(`${id}/${folder}/${name}`)) out.push(`${id}/${folder}/${name}`);
  }
  return out;
}

/**
 * A project's folder, read in one go before the project is built: each generated file's text (`LINK`
 * for a link), in path order. `ABSENT` when nothing is there. Undefined when the folder is not plain
 * (it is a link, a file, or holds a generated folder that is not a folder): then the comparison reads
 * file by file, as it always did.
 *
 * Reading a few folders back to back costs a third to a half of reading each between builds (see
 * `processChunk`).
 */
export function readFolderAhead(outDir: string, id: string): FolderRead | undefined {
  const folder = path.join(outDir, id);
  const stat = lstatIfAny(folder);
  if (stat === undefined) return ABSENT;
  if (!stat.isDirectory()) return undefined;
  const entries = listFolder(folder);
  if (entries.some((e) => GENERATED_FOLDERS.includes(e.name) && !e.isDirectory())) return undefined;
  const files = new Map<string, string>();
  for (const f of generatedAmong(outDir, id, entries)) {
    const text = readIfExists(path.join(outDir, f));
    if (text !== undefined) files.set(f, text);
  }
  return files;
}

/** A project folder as read ahead: its generated files' texts, or `ABSENT`. */
export type FolderRead = ReadonlyMap<string, string> | typeof ABSENT;
export const ABSENT = 'absent';

/** Is it a folder itself, not a link to one? No when nothing is there, or a file is on the way (ENOTDIR). */
function isFolder(at: string): boolean {
  return lstatIfAny(at)?.isDirectory() ?? false;
}

/** Is anything there, a link included? */
function exists(at: string): boolean {
  return lstatIfAny(at) !== undefined;
}

function lstatIfAny(at: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(at, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** A folder's entries; none when it has gone, or was never a folder, since it was looked at. */
function listFolder(folder: string): fs.Dirent[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
}

/** The generated files of one project folder and their text. */
export function readProjectTree(outDir: string, id: string): Map<string, string> {
  return new Map(generatedFiles(outDir, id).map((f) => [f, readIfExists(path.join(outDir, f)) ?? '']));
}

/**
 * A file's text, or undefined when there is none. A symbolic link is not followed: it reads as
 * `LINK`, which no generated file equals, so that generate replaces the link (a rename replaces the
 * link itself, never its target) and check reports it as changed. Anything else that is not a file
 * (a named pipe, a socket, a device) reads as `NOT_A_FILE`, in the same way, without a wait: opening a
 * pipe to read would wait for a writer.
 */
export function readIfExists(file: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (['ENOENT', 'ENOTDIR'].includes(code)) return undefined;
    if (code === 'ELOOP') return LINK;
    if (code === 'ENXIO') return NOT_A_FILE; // a socket
    throw error;
  }
  try {
    return fs.fstatSync(fd).isFile() ? fs.readFileSync(fd, 'utf8') : NOT_A_FILE;
  } finally {
    fs.closeSync(fd);
  }
}

/** How a file of the output is opened to read: no link followed, no wait on a pipe. */
export const READ_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/** What a symbolic link in the output folder reads as. */
export const LINK = '\u0000(a symbolic link)';
/** What a named pipe, a socket or a device in the output folder reads as. */
export const NOT_A_FILE = '\u0000(not a file)';

export interface Staleness {
  /** On disk, with other bytes than a run would write. */
  changed: string[];
  /** A run would write them; they are not on disk. */
  missing: string[];
  /** On disk, and no run writes them: a folder without a project, or a part no longer needed. */
  orphaned: string[];
}

export const isStale = (s: Staleness) => s.changed.length + s.missing.length + s.orphaned.length > 0;

/** A project's files against its folder in the output folder: changed, missing, unchanged, and generated files it no longer has. */
export interface Comparison extends Staleness {
  unchanged: string[];
}

/**
 * `files` are each a path and what it must hold: its text, unless `holds` says otherwise (the cache
 * gives a hash of the text, and compares the file's hash).
 */
export function compareWithOutput(outDir: string, id: string, files: [string, string][], ahead?: FolderRead, holds: (expected: string, onDisk: string) => boolean = (expected, onDisk) => expected === onDisk): Comparison {
  const stale: Comparison = { changed: [], missing: [], orphaned: [], unchanged: [] };
  // A project new to the folder: nothing to read (a failed open costs an exception per file).
  if (ahead === ABSENT || (ahead === undefined && !exists(path.join(outDir, id)))) {
    stale.missing.push(...files.map(([f]) => f));
    return stale;
  }
  const expected = new Set<string>();
  for (const [relative, text] of files) {
    expected.add(relative);
    // What was read ahead holds every generated file there is; a deployable form is read now.
    const onDisk = ahead !== undefined && isGenerated(relative) ? ahead.get(relative) : readIfExists(path.join(outDir, relative));
    if (onDisk === undefined) stale.missing.push(relative);
    else if (!holds(text, onDisk)) stale.changed.push(relative);
    else stale.unchanged.push(relative);
  }
  stale.orphaned.push(...(ahead === undefined ? generatedFiles(outDir, id) : [...ahead.keys()]).filter((f) => !expected.has(f)));
  return stale;
}
