import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { StagedWriter, Stager } from '../../src/output/write-files';

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const e of fs.readdirSync(path.join(dir, at), { withFileTypes: true })) {
      const rel = at ? `${at}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else out[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

describe('StagedWriter', () => {
  let root: string;
  let out: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'staged-'));
    out = path.join(root, 'output');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('shows nothing of a run until commit, then moves a new project in whole', () => {
    const writer = new StagedWriter(out);
    writer.stage('web', [
      ['web/owner.json', '{"o":1}\n'],
      ['web/resource-policies/s3-bucket-b.json', '{"r":1}\n'],
    ]);
    expect(Object.keys(tree(out)).filter((f) => !f.startsWith('.'))).toEqual([]);
    const result = writer.commit();
    expect(tree(out)).toEqual({ 'web/owner.json': '{"o":1}\n', 'web/resource-policies/s3-bucket-b.json': '{"r":1}\n' });
    expect(result).toEqual({ written: ['web/owner.json', 'web/resource-policies/s3-bucket-b.json'], unchanged: [], removed: [] });
  });

  it('in a project already there, replaces only the files whose bytes change, and removes what is no longer generated', () => {
    fs.mkdirSync(path.join(out, 'web'), { recursive: true });
    for (const [f, text] of [['owner.json', 'same\n'], ['viewer.json', 'old\n'], ['viewer-2.json', 'gone\n'], ['notes.txt', 'mine\n']]) fs.writeFileSync(path.join(out, 'web', f), text);
    const before = fs.statSync(path.join(out, 'web', 'owner.json'));
    const writer = new StagedWriter(out);
    writer.stage('web', [
      ['web/owner.json', 'same\n'],
      ['web/viewer.json', 'new\n'],
    ]);
    expect(fs.readFileSync(path.join(out, 'web', 'viewer.json'), 'utf8')).toBe('old\n');
    const result = writer.commit();
    expect(tree(out)).toEqual({ 'web/owner.json': 'same\n', 'web/viewer.json': 'new\n', 'web/notes.txt': 'mine\n' });
    const after = fs.statSync(path.join(out, 'web', 'owner.json'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(result).toEqual({ written: ['web/viewer.json'], unchanged: ['web/owner.json'], removed: ['web/viewer-2.json'] });
  });

  it('stages in a folder of its own that only its user may enter, as mkdtemp makes one', () => {
    const writer = new StagedWriter(out);
    writer.stage('web', [['web/owner.json', '{"o":1}\n']]);
    expect(fs.statSync(writer.staging).mode & 0o777).toBe(0o700);
    writer.abandon();
  });

  it('takes what a Stager of another thread staged into its folder, as if it had staged it itself', () => {
    fs.mkdirSync(path.join(out, 'old'), { recursive: true });
    fs.writeFileSync(path.join(out, 'old', 'owner.json'), '{"o":0}\n');
    const writer = new StagedWriter(out);
    const elsewhere = new Stager(out, writer.staging);
    writer.record(elsewhere.stage('web', [['web/owner.json', '{"o":1}\n']]));
    writer.record(elsewhere.stage('old', [['old/owner.json', '{"o":2}\n']]));
    expect(writer.commit()).toEqual({ written: ['old/owner.json', 'web/owner.json'], unchanged: [], removed: [] });
    expect(tree(out)).toEqual({ 'old/owner.json': '{"o":2}\n', 'web/owner.json': '{"o":1}\n' });
  });

  it('abandoned, leaves the output folder as it was: not even created', () => {
    const writer = new StagedWriter(out);
    writer.stage('web', [['web/owner.json', 'x\n']]);
    writer.abandon();
    expect(fs.existsSync(out)).toBe(false);

    fs.mkdirSync(path.join(out, 'web'), { recursive: true });
    fs.writeFileSync(path.join(out, 'web', 'owner.json'), 'old\n');
    const again = new StagedWriter(out);
    again.stage('web', [['web/owner.json', 'new\n']]);
    again.stage('api', [['api/owner.json', 'new\n']]);
    again.abandon();
    expect(tree(out)).toEqual({ 'web/owner.json': 'old\n' });
  });

  it("clears what a killed run left behind, but not a live run's staging folder", async () => {
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      const dead = path.join(out, '.codestar-policy-staging-999999999-abc');
      const live = path.join(out, `.codestar-policy-staging-${sleeper.pid}-abc`);
      for (const dir of [dead, live]) {
        fs.mkdirSync(path.join(dir, 'web'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'web', 'owner.json'), 'half\n');
      }
      new StagedWriter(out).commit();
      expect(fs.existsSync(dead)).toBe(false);
      expect(fs.existsSync(live)).toBe(true);
    } finally {
      sleeper.kill();
    }
  });
});
