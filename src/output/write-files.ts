import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { GENERATED_FOLDERS, isGenerated } from './output-tree';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  /** Generated files this run no longer produces: a part no longer needed, an orphan pruned. */
  removed: string[];
}


/**
 * Writes each file whose bytes differ from what is on disk, atomically: a temporary file in the same
 * folder, renamed over the target. A file whose bytes would not change is not touched.
 */
export function writeFiles(outDir: string, files: ReadonlyMap<string, string>, prune: string[] = []): WriteResult {
  const result: WriteResult = { written: [], unchanged: [], removed: [] };
  for (const [relative, content] of [...files.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const target = path.join(outDir, relative);
    if (readIfExists(target) === content) {
      result.unchanged.push(relative);
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const temporary = `${target}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.writeFileSync(temporary, content);
      fs.renameSync(temporary, target);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    result.written.push(relative);
  }
  const projects = new Set([...files.keys()].map((f) => f.split('/')[0]));
  for (const folder of [...projects].flatMap((id) => [id, ...GENERATED_FOLDERS.map((f) => `${id}/${f}`)])) {
    const full = path.join(outDir, folder);
    if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) continue;
    for (const name of fs.readdirSync(full).sort()) {
      const relative = `${folder}/${name}`;
      if (isGenerated(relative) && !files.has(relative)) {
        fs.rmSync(path.join(outDir, relative));
        result.removed.push(relative);
      }
    }
    removeEmptyFolders(outDir, folder);
  }
  // Orphans: generated files whose project is gone, and then their folder if nothing else is in it.
  for (const relative of prune) {
    fs.rmSync(path.join(outDir, relative), { force: true });
    result.removed.push(relative);
    removeEmptyFolders(outDir, path.dirname(relative));
  }
  return result;
}

/** Removes `folder` (relative to outDir) and its parents below outDir while they are empty. */
function removeEmptyFolders(outDir: string, folder: string): void {
  for (let at = folder; at !== '.' && at !== ''; at = path.dirname(at)) {
    const full = path.join(outDir, at);
    if (!fs.existsSync(full) || fs.readdirSync(full).length > 0) return;
    fs.rmdirSync(full);
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
