import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generate, GenerateResult } from '../../src/index';

export const ROOT = path.resolve(__dirname, '..', '..');
export const TEMPLATES = path.join(ROOT, 'templates');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

export function tempDir(prefix = 'codestar-policy-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes `{ 'abc.yaml': text }` into a new projects folder and returns its path. */
export function projectsFolder(files: Record<string, string>): string {
  const dir = tempDir('projects-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

export function generateYaml(files: Record<string, string>, templatesDir = TEMPLATES): GenerateResult {
  return generate({ projectsDir: projectsFolder(files), templatesDir });
}

/** The golden cases: every folder of test/fixtures with a project.yaml; the folder's name is the id. */
export function fixtureCases(): string[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((name) => fs.existsSync(path.join(FIXTURES, name, 'project.yaml')))
    .sort();
}

export function fixtureYaml(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name, 'project.yaml'), 'utf8');
}

export function generateFixture(name: string): GenerateResult {
  return generateYaml({ [`${name}.yaml`]: fixtureYaml(name) });
}

/** Every file of a folder, by relative path, as text. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isSymbolicLink()) out[path.relative(dir, full)] = `-> ${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) walk(full);
      else out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A minimal valid project; `extra` is appended as YAML lines. */
export function projectYaml(id: string, extra = '', account = '111111111111', region = 'us-east-2'): string {
  return `id: ${id}\nregion: ${region}\naccount: "${account}"\n${extra}`;
}

/** Runs `run` with `dir` as the working folder, as a user in that folder would, and comes back. */
export async function inFolder<T>(dir: string, run: () => Promise<T>): Promise<T> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await run();
  } finally {
    process.chdir(cwd);
  }
}
