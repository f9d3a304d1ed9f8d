import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeWorkload } from '../../bench/workload';
import { projectYaml, readTree, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

/**
 * Faults: a killed process, a disk that refuses writes, two runs at once. Every file of the output
 * folder is always its old or its new content, and nothing is left behind.
 */
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const STAGING = /^\.codestar-policy-staging-/;

jest.setTimeout(60_000);

function generateArgs(projects: string, out: string): string[] {
  return [CLI, 'generate', '--projects', projects, '--templates', TEMPLATES, '--out', out];
}

function generateNow(projects: string, out: string) {
  const run = spawnSync(process.execPath, generateArgs(projects, out), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  if (run.status !== 0) throw new Error(`generate failed: ${run.stderr}`);
}

describe('a run killed (SIGKILL) in the middle of generate over many projects', () => {
  const work = tempDir('faults-');
  const [oldProjects, newProjects] = [path.join(work, 'old'), path.join(work, 'new')];
  let oldTree: Record<string, string>;
  let newTree: Record<string, string>;

  beforeAll(() => {
    // Two versions of 300 projects: every policy file differs between them, and 50 projects are new.
    writeWorkload(oldProjects, 250, 1);
    writeWorkload(newProjects, 300, 2);
    generateNow(oldProjects, path.join(work, 'old-out'));
    generateNow(newProjects, path.join(work, 'new-out'));
    oldTree = readTree(path.join(work, 'old-out'));
    newTree = readTree(path.join(work, 'new-out'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it.each([300, 1000, 1800, 2400, 2900])('killed after %i ms: each file old or new; the next run cleans up and finishes', async (delay) => {
    const out = path.join(work, `out-${delay}`);
    fs.cpSync(path.join(work, 'old-out'), out, { recursive: true });
    const child = spawn(process.execPath, generateArgs(newProjects, out), { stdio: 'ignore', env: { ...process.env, CI: 'true' } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (child.exitCode === null) child.kill('SIGKILL'); // (a slow machine may still be at it; a fast one done)
    await exited;

    for (const [file, text] of Object.entries(readTree(out))) {
      if (STAGING.test(file)) continue; // the killed run's own working folder: removed below
      if (text !== oldTree[file] && text !== newTree[file]) throw new Error(`${file} is neither its old nor its new content`);
    }
    generateNow(newProjects, out);
    expect(fs.readdirSync(out).filter((f) => STAGING.test(f))).toEqual([]);
    const after = readTree(out);
    // What the new projects generate, and the old projects' folders that the new ones no longer have, untouched.
    for (const [file, text] of Object.entries(newTree)) expect(after[file]).toBe(text);
    expect(Object.keys(after).filter((f) => !(f in newTree) && !(f in oldTree))).toEqual([]);
  });
});

describe('a disk that refuses writes', () => {
  const spies: jest.SpyInstance[] = [];
  afterEach(() => spies.splice(0).forEach((s) => s.mockRestore()));

  async function setUp() {
    const projects = tempDir('projects-');
    fs.writeFileSync(path.join(projects, 'web.yaml'), projectYaml('web', 'resources:\n  - type: s3-bucket\n    name: web-bucket\n'));
    const out = tempDir('out-');
    expect((await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out])).code).toBe(0);
    // Changed input: every policy would change, and a new project would appear.
    fs.writeFileSync(path.join(projects, 'web.yaml'), projectYaml('web', 'resources:\n  - type: s3-bucket\n    name: web-bucket-2\n'));
    fs.writeFileSync(path.join(projects, 'api.yaml'), projectYaml('api', 'resources:\n  - type: lambda-function\n    name: api-fn\n'));
    return { projects, out, before: readTree(out) };
  }

  function failWrites(code: string, after = 0) {
    let calls = 0;
    const refuse = (name: string) => () => {
      if (calls++ < after) return undefined;
      throw Object.assign(new Error(`${code}: simulated, ${name}`), { code, syscall: name === 'writeFileSync' ? 'write' : name.replace(/Sync$/, ''), path: 'the output folder' });
    };
    // The fs module itself: the sources' `import * as fs` reads its functions through it at each call.
    const nodeFs = require('fs') as typeof fs; // eslint-disable-line @typescript-eslint/no-require-imports
    for (const name of ['writeFileSync', 'mkdtempSync', 'renameSync'] as const) {
      const real = nodeFs[name] as (...args: unknown[]) => unknown;
      spies.push(
        jest.spyOn(nodeFs, name).mockImplementation(((...args: unknown[]) => {
          refuse(name)();
          return real(...args);
        }) as never),
      );
    }
  }

  it.each([
    ['ENOSPC', 0, /no space left on the device/],
    ['ENOSPC', 3, /no space left on the device/],
    ['EROFS', 0, /read-only file system/],
    ['EACCES', 0, /permission denied/],
  ])('%s after %i writes: a clear error, the files already there intact, nothing left behind', async (code, after, explained) => {
    const { projects, out, before } = await setUp();
    failWrites(code, after);
    const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    spies.splice(0).forEach((s) => s.mockRestore());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^codestar-policy: cannot \\w+ .+: ${code} \\(`));
    expect(run.stderr).toMatch(explained);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(out)).toEqual(before);
  });

  it('a folder the process may not write to, for real (not as root, who may write anywhere)', async () => {
    if (process.getuid?.() === 0) return;
    const { projects, out, before } = await setUp();
    fs.chmodSync(out, 0o555);
    fs.chmodSync(path.join(out, 'web'), 0o555);
    try {
      const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/EACCES \(permission denied/);
    } finally {
      fs.chmodSync(path.join(out, 'web'), 0o755);
      fs.chmodSync(out, 0o755);
    }
    expect(readTree(out)).toEqual(before);
  });
});

describe('two generate runs at once on the same folders', () => {
  it('end as one run would, with nothing left behind', async () => {
    const work = tempDir('twice-');
    const projects = path.join(work, 'projects');
    writeWorkload(projects, 260, 3);
    generateNow(projects, path.join(work, 'alone'));
    const out = path.join(work, 'out');
    const runs = [0, 1].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, generateArgs(projects, out), { env: { ...process.env, CI: 'true' } });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += String(d)));
          child.on('exit', (code) => resolve({ code, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) expect(r.code).toBe(0);
    expect(readTree(out)).toEqual(readTree(path.join(work, 'alone')));
    fs.rmSync(work, { recursive: true, force: true });
  });
});
