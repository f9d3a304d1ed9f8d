import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export interface WriteResult {
  written: string[];
  unchanged: string[];
  /** Files of a generated folder that this run no longer produces, such as a part no longer needed. */
  removed: string[];
}

/** The files this tool writes into a project's folder: a policy, a part of one, the manifest. */
const GENERATED = /^(owner|contributor|viewer|service-role)(-\d+)?\.json$|^manifest\.json$/;

/**
 * Writes each file whose bytes differ from what is on disk, atomically: a temporary file in the same
 * folder, renamed over the target. A file whose bytes would not change is not touched.
 */
export function writeFiles(outDir: string, files: ReadonlyMap<string, string>): WriteResult {
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
  for (const folder of new Set([...files.keys()].map((f) => path.dirname(f)))) {
    for (const name of fs.readdirSync(path.join(outDir, folder)).sort()) {
      const relative = path.join(folder, name);
      if (GENERATED.test(name) && !files.has(relative)) {
        fs.rmSync(path.join(outDir, relative));
        result.removed.push(relative);
      }
    }
  }
  return result;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
