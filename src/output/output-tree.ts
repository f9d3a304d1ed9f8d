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

/** Generated files under an output folder, `<id>/<file>` to text. Anything else there is not ours. */
export function readOutputTree(outDir: string): Map<string, string> {
  const tree = new Map<string, string>();
  if (!fs.existsSync(outDir)) return tree;
  for (const entry of fs.readdirSync(outDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const folder of [entry.name, ...GENERATED_FOLDERS.map((f) => `${entry.name}/${f}`)]) {
      const full = path.join(outDir, folder);
      if (!fs.existsSync(full) || !fs.statSync(full).isDirectory()) continue;
      for (const name of fs.readdirSync(full).sort()) {
        const relative = `${folder}/${name}`;
        if (isGenerated(relative)) tree.set(relative, fs.readFileSync(path.join(outDir, relative), 'utf8'));
      }
    }
  }
  return tree;
}

export interface Staleness {
  /** On disk, with other bytes than a run would write. */
  changed: string[];
  /** A run would write them; they are not on disk. */
  missing: string[];
  /** On disk, and no run writes them: a folder without a project, or a part no longer needed. */
  orphaned: string[];
}

/**
 * What differs between the files a run would write and those on disk. `projects` are the ids the run
 * covers; with `all`, a folder of output/ that belongs to no project is an orphan too.
 */
export function staleness(expected: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, string>, projects: string[], all: boolean): Staleness {
  const covered = (file: string) => all || projects.includes(file.split('/')[0]);
  const sorted = (list: string[]) => list.sort();
  return {
    changed: sorted([...expected].filter(([f, text]) => onDisk.has(f) && onDisk.get(f) !== text).map(([f]) => f)),
    missing: sorted([...expected.keys()].filter((f) => !onDisk.has(f))),
    orphaned: sorted([...onDisk.keys()].filter((f) => covered(f) && !expected.has(f))),
  };
}

export const isStale = (s: Staleness) => s.changed.length + s.missing.length + s.orphaned.length > 0;
