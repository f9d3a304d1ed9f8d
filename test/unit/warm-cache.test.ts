import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bytesReadFromDisk, CacheWarmer, readChunk } from '../../src/pipeline/warm-cache';
import { WorkItem } from '../../src/pipeline/project';

/**
 * Reading a chunk ahead of its worker reads only what the worker will read, never follows a link,
 * never waits on a special file, and happens only while the process reads from the disk.
 */
describe('reading a chunk ahead of its worker', () => {
  let root: string;
  const at = (...parts: string[]) => path.join(root, ...parts);
  const put = (relative: string, text = '{}\n') => {
    fs.mkdirSync(path.dirname(at(relative)), { recursive: true });
    fs.writeFileSync(at(relative), text);
  };
  const item = (id: string, index: number, reported = true): WorkItem => ({ index, file: at('projects', `${id}.yaml`), reported });

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'warm-'));
    put('projects/web.yaml', 'id: web\n');
    put('projects/api.yml', 'id: api\n');
    put('projects/near.yaml', 'id: near\n');
    put('output/web/owner.json');
    put('output/web/viewer-2.json');
    put('output/web/manifest.json');
    put('output/web/resource-policies/s3-bucket-b.json');
    put('output/web/cross-account/trust-policy.json');
    put('output/web/notes.txt', 'a file of the user\n');
    put('output/web/resource-policies/README.md', 'the user\'s too\n');
    put('output/web/mine/owner.json', 'not a generated folder\n');
    put('output/api/contributor.json');
    put('output/near/owner.json');
    put('elsewhere/owner.json', 'what a link leads to\n');
    fs.symlinkSync(at('elsewhere', 'owner.json'), at('output', 'web', 'service-role.json'));
    fs.symlinkSync(at('elsewhere'), at('output', 'api', 'resource-policies'));
    // A named pipe with no writer: a blocking open would wait for ever.
    execFileSync('mkfifo', [at('output', 'web', 'contributor.json')]);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const relative = (files: string[]) => files.map((f) => path.relative(root, f)).sort();

  it("reads each project file, and the generated files of the reported projects' folders: no user's file, no link, no pipe", async () => {
    const read = await readChunk([item('web', 0), { index: 1, file: at('projects', 'api.yml'), reported: true }, item('near', 2, false), item('gone', 3)], at('output'));
    expect(relative(read)).toEqual(
      [
        'output/api/contributor.json',
        'output/web/cross-account/trust-policy.json',
        'output/web/manifest.json',
        'output/web/owner.json',
        'output/web/resource-policies/s3-bucket-b.json',
        'output/web/viewer-2.json',
        'projects/api.yml',
        'projects/near.yaml',
        'projects/web.yaml',
      ].sort(),
    );
  });

  it('reads only the project files of a run that does not compare with the output folder', async () => {
    expect(relative(await readChunk([item('web', 0), item('near', 1)], undefined))).toEqual(['projects/near.yaml', 'projects/web.yaml']);
  });

  it('reads a chunk only when the process has read from the disk since the last chunk was handed out', async () => {
    const counts = [100, 100, 4196, 4196, 9000];
    const warmer = new CacheWarmer(at('output'), () => counts.shift());
    const handed = [0, 1, 2, 3].map(() => warmer.handOut([item('web', 0)]));
    expect(handed.map((h) => h !== undefined)).toEqual([false, true, false, true]);
    expect(relative(await handed[1]!)).toContain('output/web/owner.json');
    await handed[3];
  });

  it('holds few files open at once: under a limit of 64 open files, it reads every file of 100 folders', () => {
    for (let p = 0; p < 100; p++) {
      put(`projects/q${p}.yaml`, 'id: q\n');
      for (const f of ['owner', 'contributor', 'viewer', 'service-role', 'manifest']) put(`output/q${p}/${f}.json`);
    }
    // In a process of its own, with the limit set (the built module: what the CLI runs).
    const module = path.resolve(__dirname, '..', '..', 'dist', 'pipeline', 'warm-cache.js');
    const script = `require(${JSON.stringify(module)}).readChunk(Array.from({ length: 100 }, (_, p) => ({ index: p, file: ${JSON.stringify(at('projects'))} + '/q' + p + '.yaml', reported: true })), ${JSON.stringify(at('output'))}).then((read) => console.log(read.length))`;
    const count = execFileSync('bash', ['-c', 'ulimit -n 64 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8' });
    expect(Number(count)).toBe(100 * 6);
  });

  it('never reads ahead where the system does not count what the process reads', () => {
    const warmer = new CacheWarmer(at('output'), () => undefined);
    expect([0, 1, 2].map(() => warmer.handOut([item('web', 0)]))).toEqual([undefined, undefined, undefined]);
  });

  it("reads Linux's count of the bytes this process has read from the disk", () => {
    const count = bytesReadFromDisk();
    if (!fs.existsSync('/proc/self/io')) expect(count).toBeUndefined();
    else {
      expect(count).toEqual(expect.any(Number));
      expect(bytesReadFromDisk()).toBeGreaterThanOrEqual(count!);
    }
  });
});
