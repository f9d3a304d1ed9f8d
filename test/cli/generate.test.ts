import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixtureYaml, inFolder, projectsFolder, projectYaml, readTree, ROOT, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

describe('codestar-policy generate', () => {
  const projects = projectsFolder({ 'lambda-app.yaml': fixtureYaml('lambda-app'), 'ec2-app.yaml': fixtureYaml('ec2-app') });

  it('writes four policies and a manifest per project, and says so in one line', async () => {
    const out = tempDir('out-');
    const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`2 projects: 8 policies written, 0 unchanged, 2 manifests written (in ${out})\n`);
    expect(Object.keys(readTree(out)).sort()).toEqual(
      ['ec2-app', 'lambda-app'].flatMap((id) => ['contributor', 'manifest', 'owner', 'service-role', 'viewer'].map((f) => path.join(id, `${f}.json`))),
    );
  });

  it('does not rewrite a file whose bytes would not change, and leaves no temporary file', async () => {
    const out = tempDir('out-');
    await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    const owner = path.join(out, 'lambda-app', 'owner.json');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(owner, old, old);
    fs.writeFileSync(path.join(out, 'ec2-app', 'viewer.json'), '{}\n');
    const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    expect(run.stdout).toBe(`2 projects: 1 policy written, 7 unchanged (in ${out})\n`);
    expect(fs.statSync(owner).mtime.getTime()).toBe(old.getTime());
    expect(Object.keys(readTree(out)).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('says when only a manifest changed', async () => {
    const out = tempDir('out-');
    await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    fs.writeFileSync(path.join(out, 'ec2-app', 'manifest.json'), '{}\n');
    const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    expect(run.stdout).toBe(`2 projects: 0 policies written, 8 unchanged, 1 manifest written (in ${out})\n`);
  });

  it('generates only the projects named, by id or by file', async () => {
    const out = tempDir('out-');
    const byId = await runCli(['generate', 'ec2-app', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    expect(byId.stdout).toMatch(/^1 project: 4 policies written/);
    const byFile = await runCli(['generate', path.join(projects, 'lambda-app.yaml'), '--templates', TEMPLATES, '--out', out]);
    expect(byFile.stdout).toMatch(/^1 project: 4 policies written/);
    expect(fs.readdirSync(out).sort()).toEqual(['ec2-app', 'lambda-app']);
  });

  it('prints warnings but still writes', async () => {
    const dir = projectsFolder({ 'own.yaml': projectYaml('own', 'resources:\n  - type: s3-bucket\n    name: my-own-bucket\n') });
    const run = await runCli(['generate', '--projects', dir, '--templates', TEMPLATES, '--out', tempDir()]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning service-role-outside-scope');
  });

  it('lists every option with its default in --help', async () => {
    const run = await runCli(['generate', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--projects .*\[default: "projects"\]/);
    expect(run.stdout).toMatch(/--templates .*\[default: templates\/ if present, else the bundled templates\]/);
    expect(run.stdout).toMatch(/--out .*\[default: "output"\]/);
  });

  it('uses the bundled templates when the working folder has no templates/', async () => {
    const work = tempDir('work-');
    fs.cpSync(projects, path.join(work, 'projects'), { recursive: true });
    const run = await inFolder(work, () => runCli(['generate']));
    expect(run.code).toBe(0);
    expect(fs.existsSync(path.join(work, 'output', 'ec2-app', 'owner.json'))).toBe(true);
  });
});

describe('the installed binary', () => {
  const bin = path.join(ROOT, 'dist', 'cli', 'main.js');

  it('renders the shipped example exactly as committed in output/', () => {
    const out = tempDir('out-');
    const stdout = execFileSync(process.execPath, [bin, 'generate', '--out', out], { cwd: ROOT, encoding: 'utf8' });
    expect(stdout).toBe(`1 project: 5 policies written, 0 unchanged, 1 manifest written (in ${out})\n`);
    expect(readTree(out)).toEqual(readTree(path.join(ROOT, 'output')));
  });

  it('exits 2 on bad input', () => {
    const dir = projectsFolder({ 'bad.yaml': 'id: bad\n' });
    let status = 0;
    try {
      execFileSync(process.execPath, [bin, 'generate', '--projects', dir, '--out', tempDir()], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
