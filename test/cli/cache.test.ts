import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { writeWorkload } from '../../bench/workload';
import { WORKER_THRESHOLD } from '../../src/index';
import { runFingerprint } from '../../src/pipeline/result-cache';
import { inFolder, tempDir, TEMPLATES } from '../support/fixtures';
import { CliRun, runCli } from '../support/run-cli';

/**
 * `--cache`: a project that did not change is taken from the cache, and every command reports exactly
 * what it reports without one. The output folder is never trusted: the cache says what a project's
 * files must be, and they are read and compared on every run.
 */
const COUNT = 24;

/** A folder of COUNT projects of every resource type (some with warnings), with its own templates. */
function workspace(): string {
  const dir = tempDir('cache-');
  writeWorkload(path.join(dir, 'projects'), COUNT, 11);
  fs.cpSync(TEMPLATES, path.join(dir, 'templates'), { recursive: true });
  return dir;
}

const run = (...args: string[]) => runCli([...args, '--jobs', '1']);
const cached = (...args: string[]) => run(...args, '--cache-dir', 'cache');

/** What a run printed, with its cache count taken out: the rest must be as a run without the cache prints. */
const withoutCount = (r: CliRun) => ({ code: r.code, stdout: r.stdout.replace(/[;,] \d+ from the cache| \(\d+ from the cache\)/, ''), stderr: r.stderr });
const countOf = (r: CliRun) => Number(/(\d+) from the cache/.exec(r.stdout)?.[1]);

describe('--cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = workspace();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes every project from the cache on a second run, and reports exactly what a run without it does', async () => {
    await inFolder(dir, async () => {
      expect((await run('generate')).code).toBe(0);
      for (const command of [['check'], ['lint'], ['lint', '--format', 'json'], ['generate'], ['diff']]) {
        const plain = await run(...command);
        const first = await cached(...command);
        const second = await cached(...command);
        expect(withoutCount(first)).toEqual(withoutCount(plain));
        expect(withoutCount(second)).toEqual(withoutCount(plain));
        if (command.includes('json')) {
          expect(first.stdout).toBe(plain.stdout); // no count in JSON
          continue;
        }
        if (command[0] === 'diff') continue; // the diff prints no summary line
        expect(countOf(second)).toBe(COUNT);
      }
      // lint kept no output's hashes: the first check after it builds, and keeps them.
      expect(countOf(await cached('lint'))).toBe(COUNT);
    });
  });

  it('never trusts the output folder: a file edited, removed, added or made a link is reported as without the cache', async () => {
    await inFolder(dir, async () => {
      await run('generate');
      expect(countOf(await cached('check'))).toBe(0);
      expect(countOf(await cached('check'))).toBe(COUNT);

      fs.writeFileSync('output/p1/viewer.json', '{}\n');
      fs.rmSync('output/p2/owner.json');
      fs.writeFileSync('output/p3/owner-2.json', fs.readFileSync('output/p3/owner.json'));
      // A link to a file of the very same bytes: still not what generate writes.
      fs.renameSync('output/p4/contributor.json', 'elsewhere.json');
      fs.symlinkSync(path.resolve('elsewhere.json'), 'output/p4/contributor.json');
      fs.writeFileSync('output/p5/manifest.json', `${fs.readFileSync('output/p5/manifest.json', 'utf8')} `);

      const plain = await run('check');
      expect(plain.code).toBe(1);
      expect(plain.stdout).toContain('changed  output/p1/viewer.json');
      expect(plain.stdout).toContain('missing  output/p2/owner.json');
      expect(plain.stdout).toContain('orphaned output/p3/owner-2.json');
      expect(plain.stdout).toContain('changed  output/p4/contributor.json');
      expect(plain.stdout).toContain('changed  output/p5/manifest.json');
      const check = await cached('check');
      expect(withoutCount(check)).toEqual(withoutCount(plain));
      expect(withoutCount(await cached('diff'))).toEqual(withoutCount(await run('diff')));
      // Those five are built; the others are taken from the cache.
      expect(countOf(await cached('lint'))).toBe(COUNT);

      const repaired = await cached('generate');
      expect(repaired.stdout).toMatch(/^24 projects: 3 policies written, \d+ unchanged, 1 manifest written, 1 file no longer generated removed \(in output; 19 from the cache\)\n$/);
      expect(fs.lstatSync('output/p4/contributor.json').isSymbolicLink()).toBe(false);
      expect(await cached('check')).toMatchObject({ code: 0, stdout: 'output is up to date (24 projects, 24 from the cache)\n' });
      expect((await run('check')).code).toBe(0);
    });
  });

  it('builds a project whose file changed, and every project when a template or an option changed', async () => {
    await inFolder(dir, async () => {
      await run('generate');
      await cached('check');

      fs.appendFileSync('projects/p7.yaml', '  - { type: sns-topic, name: p7-new-topic }\n');
      const one = await cached('check');
      expect(one.code).toBe(1);
      expect(one.stdout).toContain('changed  output/p7/owner.json');
      expect(countOf(one)).toBe(COUNT - 1);
      expect(withoutCount(one)).toEqual(withoutCount(await run('check')));

      // A template that grants one action more: nothing may come from the cache.
      const template = 'templates/resources/sns-topic.hbs';
      fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace('"sns:Subscribe"', '"sns:Publish", "sns:Subscribe"'));
      expect(fs.readFileSync(template, 'utf8')).toContain('"sns:Publish"');
      const edited = await cached('check');
      expect(countOf(edited)).toBe(0);
      expect(withoutCount(edited)).toEqual(withoutCount(await run('check')));
      expect(edited.code).toBe(1);

      await cached('generate');
      expect(countOf(await cached('check'))).toBe(COUNT);
      // Findings name the output folder, and the deployable forms add files: each is a run of its own.
      expect(countOf(await cached('lint', '--out', 'other'))).toBe(0);
      expect(countOf(await cached('generate', '--format', 'cloudformation'))).toBe(0);
      expect(countOf(await cached('check'))).toBe(0);
    });
  });

  it('checks isolation across projects anew when a project changed, though the others come from the cache', async () => {
    await inFolder(dir, async () => {
      // CodeStar's kind of pattern for the owner: the repository's name and anything after it.
      const template = 'templates/resources/codecommit-repository.hbs';
      const exact = '{ "Sid": "CodeCommit", "Action": ["codecommit:*"], "Resource": ["{{arn}}"] }';
      expect(fs.readFileSync(template, 'utf8')).toContain(exact);
      fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace(exact, exact.replace('{{arn}}"', '{{arn}}*"')));
      fs.appendFileSync('projects/p1.yaml', '  - { type: codecommit-repository, name: shared }\n');
      await cached('lint');
      expect(countOf(await cached('lint'))).toBe(COUNT);

      // p2 moves to p1's account, with a repository whose name starts with p1's: p1's pattern reaches it.
      const account = /account: "\d+"/.exec(fs.readFileSync('projects/p1.yaml', 'utf8'))![0];
      fs.writeFileSync('projects/p2.yaml', `${fs.readFileSync('projects/p2.yaml', 'utf8').replace(/account: "\d+"/, account)}  - { type: codecommit-repository, name: shared-x }\n`);
      const plain = await run('lint');
      expect(plain.stdout).toMatch(/^output\/p1\/owner.json \[CodeCommit\]: error isolation: arn:aws:codecommit:us-east-2:\d+:shared\* reaches .*:shared-x, a resource of project p2$/m);
      const lint = await cached('lint');
      expect(countOf(lint)).toBe(COUNT - 1);
      expect(withoutCount(lint)).toEqual(withoutCount(plain));
      expect(lint.code).toBe(1);
    });
  });

  it('takes a cache it cannot read for none, and says so when it cannot keep one', async () => {
    await inFolder(dir, async () => {
      await run('generate');
      await cached('check');
      const entries = fs.readdirSync('cache').filter((f) => f !== 'isolation.json');
      expect(entries).toHaveLength(COUNT);
      const damage = ['not JSON', '{}', 'null', '[1]', JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join('cache', entries[4]), 'utf8')), problems: 'none' })];
      entries.slice(0, damage.length).forEach((e, k) => fs.writeFileSync(path.join('cache', e), damage[k]));
      fs.writeFileSync('cache/isolation.json', '{"key": 1}');
      // And an output file edited, of a project whose entry is whole (entries are named by a hash of the project file's path).
      const edited = (JSON.parse(fs.readFileSync(path.join('cache', entries[COUNT - 1]), 'utf8')) as { id: string }).id;
      fs.writeFileSync(`output/${edited}/viewer.json`, '{}\n');
      const check = await cached('check');
      expect(withoutCount(check)).toEqual(withoutCount(await run('check')));
      expect(countOf(check)).toBe(COUNT - damage.length - 1);

      fs.writeFileSync('a-file', '');
      const refused = await run('check', '--cache-dir', 'a-file/cache');
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('a-file/cache: error cache-unusable: cannot keep a cache in a-file/cache (ENOTDIR)');
      expect(refused.stderr).toContain('--cache-dir');
      const before = fs.readFileSync(`output/${edited}/viewer.json`, 'utf8');
      expect((await run('generate', '--cache-dir', 'a-file/cache')).code).toBe(2);
      expect(fs.readFileSync(`output/${edited}/viewer.json`, 'utf8')).toBe(before);
    });
  });

  it('keeps its cache in node_modules/.cache/codestar-policy unless told', async () => {
    await inFolder(dir, async () => {
      await run('generate');
      expect((await run('check', '--cache')).stdout).toBe(`output is up to date (${COUNT} projects, 0 from the cache)\n`);
      expect(fs.readdirSync('node_modules/.cache/codestar-policy')).toHaveLength(COUNT + 1);
      expect((await run('check', '--cache')).stdout).toBe(`output is up to date (${COUNT} projects, ${COUNT} from the cache)\n`);
      expect((await run('check')).stdout).toBe(`output is up to date (${COUNT} projects)\n`);
    });
  });
});

describe('the fingerprint of a run', () => {
  it('changes with every byte of the templates it loads, the output folder, the format and the IAM data', () => {
    const templates = tempDir('templates-');
    fs.cpSync(TEMPLATES, templates, { recursive: true });
    const inputs = { templatesDir: templates, iamDataVersion: '1.0.0', outDir: 'output' };
    const base = runFingerprint(inputs);
    expect(runFingerprint(inputs)).toBe(base);
    expect(runFingerprint({ ...inputs, outDir: 'out' })).not.toBe(base);
    expect(runFingerprint({ ...inputs, format: 'terraform' })).not.toBe(base);
    expect(runFingerprint({ ...inputs, iamDataVersion: '1.0.1' })).not.toBe(base);
    const file = path.join(templates, 'resources', 's3-bucket.hbs');
    fs.appendFileSync(file, ' ');
    expect(runFingerprint(inputs)).not.toBe(base);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, -1));
    expect(runFingerprint(inputs)).toBe(base);
    // A file the templates do not load counts for nothing; a resource template counts, even empty.
    fs.writeFileSync(path.join(templates, 'NOTES.md'), 'notes');
    expect(runFingerprint(inputs)).toBe(base);
    fs.writeFileSync(path.join(templates, 'resources', 'new.hbs'), '');
    expect(runFingerprint(inputs)).not.toBe(base);
    fs.rmSync(templates, { recursive: true, force: true });
  });
});

describe(`--cache over worker threads (${WORKER_THRESHOLD + 40} projects, the built CLI)`, () => {
  const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
  const count = WORKER_THRESHOLD + 40;
  const cli = (cwd: string, ...args: string[]) => {
    const r = spawnSync(process.execPath, [CLI, ...args, '--jobs', '2'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: 'true' } });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  it('takes every project from the cache in the workers, and still finds a hand-edited file', () => {
    const work = tempDir('cache-parallel-');
    writeWorkload(path.join(work, 'projects'), count, 5);
    expect(cli(work, 'generate').code).toBe(0);
    const plain = cli(work, 'check');
    expect(withoutCount(cli(work, 'check', '--cache'))).toEqual(withoutCount(plain));
    const warm = cli(work, 'check', '--cache');
    expect(warm.stdout).toBe(`output is up to date (${count} projects, ${count} from the cache)\n`);
    expect(warm.stderr).toBe(plain.stderr);
    const id = fs.readdirSync(path.join(work, 'output')).sort()[count / 2];
    fs.writeFileSync(path.join(work, 'output', id, 'owner.json'), '{}\n');
    const edited = cli(work, 'check', '--cache');
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(`changed  output/${id}/owner.json`);
    expect(countOf(edited)).toBe(count - 1);
    fs.rmSync(work, { recursive: true, force: true });
  }, 120_000);
});
