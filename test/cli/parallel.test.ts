import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectYaml, writeWorkload } from '../../bench/workload';
import { WORKER_THRESHOLD } from '../../src/index';
import { TEMPLATES } from '../support/fixtures';

/**
 * A run over worker threads writes, byte for byte, what a run in one thread writes, and reports the
 * same. The workers run the built CLI (dist/, which `npm test` builds first): that is what users run.
 */
const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const COUNT = WORKER_THRESHOLD + 50;

function cli(cwd: string, args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args, '--projects', 'projects', '--templates', TEMPLATES], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (at: string) => {
    for (const e of fs.readdirSync(path.join(dir, at), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = at ? `${at}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out.set(rel, fs.readFileSync(path.join(dir, rel), 'utf8'));
    }
  };
  walk('');
  return out;
}

describe(`a run over ${COUNT} projects`, () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'parallel-'));
    writeWorkload(path.join(work, 'projects'), COUNT, 5);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('writes the same bytes with two workers as in one thread, and reports the same', () => {
    const one = cli(work, ['generate', '--out', 'one', '--jobs', '1']);
    const two = cli(work, ['generate', '--out', 'two', '--jobs', '2']);
    expect(one.code).toBe(0);
    expect(two.stderr.replace(/^two\//gm, '')).toBe(one.stderr.replace(/^one\//gm, ''));
    expect(two.stdout.replace(' (in two)', '')).toBe(one.stdout.replace(' (in one)', ''));
    const [a, b] = [tree(path.join(work, 'one')), tree(path.join(work, 'two'))];
    expect(a.size).toBeGreaterThan(COUNT * 5);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [file, text] of a) if (b.get(file) !== text) throw new Error(`${file} differs between the runs`);
  });

  it('compares in the workers: a second run over workers writes only the file that was changed', () => {
    const two = path.join(work, 'two');
    const changed = path.join(two, 'p1', 'viewer.json');
    const right = fs.readFileSync(changed, 'utf8');
    fs.writeFileSync(changed, '{}\n');
    fs.rmSync(path.join(two, 'p2', 'owner.json'));
    fs.writeFileSync(path.join(two, 'p3', 'owner-2.json'), '{}\n');
    const before = tree(two);
    const rerun = cli(work, ['generate', '--out', 'two', '--jobs', '2']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`^${COUNT} projects: 2 policies written, \\d+ unchanged, 1 file no longer generated removed \\(in two\\)\n$`));
    expect(fs.readFileSync(changed, 'utf8')).toBe(right);
    const after = tree(two);
    expect(after.has('p3/owner-2.json')).toBe(false);
    const rewritten = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
    expect(rewritten.sort()).toEqual(['p1/viewer.json', 'p2/owner.json']);
    expect(cli(work, ['check', '--out', 'two', '--jobs', '2']).code).toBe(0);
  });

  it('stages in the workers, and never through a link: a link at a project folder stops the run, with nothing written', () => {
    const two = path.join(work, 'two');
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
    fs.renameSync(path.join(two, 'p7'), path.join(elsewhere, 'p7'));
    fs.symlinkSync(path.join(elsewhere, 'p7'), path.join(two, 'p7'));
    fs.writeFileSync(path.join(elsewhere, 'p7', 'viewer.json'), '{}\n');
    fs.writeFileSync(path.join(two, 'p8', 'viewer.json'), '{}\n');
    const run = cli(work, ['generate', '--out', 'two', '--jobs', '2']);
    expect(run.code).toBe(2);
    expect(run.stdout + run.stderr).toContain(`${path.join('two', 'p7')} is a symbolic link`);
    // Nothing moved into place, nothing written through the link, no staging folder left.
    expect(fs.readFileSync(path.join(elsewhere, 'p7', 'viewer.json'), 'utf8')).toBe('{}\n');
    expect(fs.readFileSync(path.join(two, 'p8', 'viewer.json'), 'utf8')).toBe('{}\n');
    expect(fs.readdirSync(two).filter((f) => f.startsWith('.'))).toEqual([]);
    fs.rmSync(path.join(two, 'p7'));
    fs.renameSync(path.join(elsewhere, 'p7'), path.join(two, 'p7'));
    expect(cli(work, ['generate', '--out', 'two', '--jobs', '2']).code).toBe(0);
    expect(cli(work, ['check', '--out', 'two', '--jobs', '2']).code).toBe(0);
  });

  it('prints the first few warnings of a kind, then counts the rest; lint lists them all', () => {
    const generate = cli(work, ['generate', '--out', 'one', '--jobs', '1']);
    const lint = cli(work, ['lint', '--out', 'one', '--jobs', '1']);
    const whole = (text: string) => text.split('\n').filter((line) => / warning policy-near-limit: /.test(line));
    const all = whole(lint.stdout);
    expect(all.length).toBeGreaterThan(10);
    expect(whole(generate.stderr)).toEqual(all.slice(0, 3));
    expect(generate.stderr).toContain(`... and ${all.length - 3} more policy-near-limit warnings: codestar-policy lint lists them all\n`);
  });

  it('checks, lints and diffs the same with workers as without', () => {
    fs.writeFileSync(path.join(work, 'projects', 'p0.yaml'), projectYaml(0, 99).replace(/^id: .*$/m, 'id: p0'));
    for (const [args, code] of [
      [['check', '--out', 'one'], 1],
      [['lint', '--format', 'json'], 0],
      [['diff', '--out', 'one', '--format', 'json'], 1],
    ] as const) {
      const single = cli(work, [...args, '--jobs', '1']);
      const parallel = cli(work, [...args, '--jobs', '2']);
      expect(single.code).toBe(code);
      expect(parallel).toEqual(single);
    }
  });

  it('checks and diffs the same when it reads every chunk ahead of the workers, as while it reads from the disk', async () => {
    // The built library, as the CLI runs it: its workers are dist/pipeline/worker.js.
    const library = require(path.resolve(__dirname, '..', '..', 'dist', 'index.js')) as typeof import('../../src/index');
    expect(cli(work, ['generate', '--out', 'ahead', '--jobs', '2']).code).toBe(0);
    const two = path.join(work, 'ahead');
    const empty = '{ "Version": "2012-10-17", "Statement": [] }\n';
    fs.writeFileSync(path.join(two, 'p4', 'owner.json'), empty);
    fs.rmSync(path.join(two, 'p5', 'viewer.json'));
    fs.writeFileSync(path.join(two, 'p6', 'viewer-2.json'), empty);
    const options = { projectsDir: path.join(work, 'projects'), templatesDir: TEMPLATES, outDir: two, jobs: 2 };
    let asked = 0;
    const growing = () => ++asked * 4096;
    const cached = () => undefined;
    const [checkAhead, checkCached] = [await library.check({ ...options, bytesRead: growing }), await library.check({ ...options, bytesRead: cached })];
    expect(asked).toBeGreaterThan(COUNT / 64);
    expect(checkCached.stale).toMatchObject({ changed: ['p4/owner.json'], missing: ['p5/viewer.json'], orphaned: ['p6/viewer-2.json'] });
    expect(checkAhead).toEqual(checkCached);
    const diffAhead = await library.diff({ ...options, bytesRead: growing });
    expect(diffAhead.report?.projects.length).toBeGreaterThan(0);
    expect(diffAhead).toEqual(await library.diff({ ...options, bytesRead: cached }));
  });

  it('refuses a --jobs that is not a whole number of threads', () => {
    const run = cli(work, ['check', '--out', 'one', '--jobs', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^--jobs 0: give a whole number of worker threads/);
  });
});
