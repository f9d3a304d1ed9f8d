import { execFileSync } from 'child_process';
import * as path from 'path';
import { isGenerated } from '../output/output-tree';

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/** The generated files of `outDir` as committed at `rev`: `<id>/<file>` to text. */
export function outputAtRevision(rev: string, outDir: string): Map<string, string> {
  const top = git(['rev-parse', '--show-toplevel'], outDir === '' ? '.' : path.dirname(path.resolve(outDir))).trim();
  const prefix = path.relative(top, path.resolve(outDir)).split(path.sep).join('/');
  const tree = new Map<string, string>();
  const listed = git(['ls-tree', '-r', '--name-only', rev, '--', prefix], top).split('\n').filter(Boolean);
  for (const file of listed) {
    const relative = file.slice(prefix.length + 1);
    if (!isGenerated(relative)) continue;
    tree.set(relative, git(['show', `${rev}:${file}`], top));
  }
  return tree;
}

/** Template files that differ between `rev` and the working tree. */
export function templatesChangedSince(rev: string, templatesDir: string): string[] {
  const top = git(['rev-parse', '--show-toplevel'], path.resolve(templatesDir)).trim();
  const prefix = path.relative(top, path.resolve(templatesDir)).split(path.sep).join('/');
  const changed = git(['diff', '--name-only', rev, '--', prefix], top).split('\n');
  const untracked = git(['ls-files', '--others', '--exclude-standard', '--', prefix], top).split('\n');
  return [...new Set([...changed, ...untracked].filter(Boolean))].sort();
}
