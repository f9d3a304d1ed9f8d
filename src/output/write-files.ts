import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export interface WriteResult {
  written: string[];
  unchanged: string[];
}

/**
 * Writes each file whose bytes differ from what is on disk, atomically: a temporary file in the same
 * folder, renamed over the target. A file whose bytes would not change is not touched.
 */
export function writeFiles(outDir: string, files: ReadonlyMap<string, string>): WriteResult {
  const result: WriteResult = { written: [], unchanged: [] };
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
