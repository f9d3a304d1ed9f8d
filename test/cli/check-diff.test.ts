import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { inFolder, projectYaml, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';
import { useColour } from '../../src/cli/main';
import { ANSI, NO_COLOURS, renderText } from '../../src/diff/render-report';

/** A git repository with one project, generated and committed, as a team's repository would be. */
function repository(): string {
  const dir = tempDir('repo-');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  fs.mkdirSync(path.join(dir, 'projects'));
  fs.writeFileSync(path.join(dir, 'projects', 'web.yaml'), projectYaml('web', 'team:\n  - user: bob\n    role: contributor\nresources:\n  - type: codecommit-repository\n    name: web\n'));
  fs.cpSync(TEMPLATES, path.join(dir, 'templates'), { recursive: true });
  return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });

/** The repository with its output generated and committed: the base of a pull request. */
async function committed(dir: string): Promise<void> {
  await runCli(['generate']);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'web');
}

describe('codestar-policy check', () => {
  it('exits 0 right after generate, 1 on a hand-edited file and on an orphan, and writes nothing', async () => {
    const dir = repository();
    await inFolder(dir, async () => {
      await runCli(['generate']);
      expect(await runCli(['check'])).toMatchObject({ code: 0, stdout: 'output is up to date (1 project)\n' });

      fs.writeFileSync('output/web/viewer.json', '{}\n');
      const edited = await runCli(['check']);
      expect(edited.code).toBe(1);
      expect(edited.stdout).toContain('changed  output/web/viewer.json');
      expect(fs.readFileSync('output/web/viewer.json', 'utf8')).toBe('{}\n');
      await runCli(['generate']);

      fs.mkdirSync('output/gone');
      fs.writeFileSync('output/gone/owner.json', '{}\n');
      const orphan = await runCli(['check']);
      expect(orphan.code).toBe(1);
      expect(orphan.stdout).toContain('orphaned output/gone/owner.json');
      expect(orphan.stdout).toContain('run codestar-policy generate --prune');

      fs.rmSync('output/web/contributor.json');
      expect((await runCli(['check'])).stdout).toContain('missing  output/web/contributor.json');
    });
  });

  it('generate --prune removes the output of a project that no longer exists', async () => {
    const dir = repository();
    await inFolder(dir, async () => {
      await runCli(['generate']);
      fs.mkdirSync('output/gone');
      fs.writeFileSync('output/gone/owner.json', '{}\n');
      fs.writeFileSync('output/gone/notes.txt', 'mine\n');
      const run = await runCli(['generate', '--prune']);
      expect(run.stdout).toContain('1 file no longer generated removed');
      expect(fs.readdirSync('output/gone')).toEqual(['notes.txt']);
      expect((await runCli(['check'])).code).toBe(0);
    });
  });
});

describe('codestar-policy diff --base', () => {
  it('shows what the working tree changes against a revision: grants per role, risk, and the YAML entry', async () => {
    const dir = repository();
    await inFolder(dir, async () => {
      await committed(dir);
      expect(await runCli(['diff', '--base', 'HEAD'])).toMatchObject({ code: 0, stdout: 'No change against HEAD.\n' });

      fs.appendFileSync('projects/web.yaml', '  - type: codebuild-project\n    name: web-build\n');
      const run = await runCli(['diff', '--base', 'HEAD']);
      expect(run.code).toBe(1);
      expect(run.stdout).not.toContain('\x1b'); // piped: plain
      expect(run.stdout).toContain('cause: added codebuild-project arn:aws:codebuild:us-east-2:111111111111:project/web-build (projects/web.yaml:10)');
      expect(run.stdout).toMatch(/Contributor: \+\d+ -0 \(broadens, risk\)/);
      expect(run.stdout).toContain('+ codebuild · Write [risk: a Write action] on arn:aws:codebuild:us-east-2:111111111111:project/web-build: RetryBuild, RetryBuildBatch, StartBuild, StartBuildBatch, StopBuild, StopBuildBatch');

      const markdown = await runCli(['diff', '--base', 'HEAD', '--format', 'markdown']);
      expect(markdown.stdout).toContain('| web | Contributor |');
      expect(markdown.stdout).toContain('<details><summary>Contributor:');
      const json = JSON.parse((await runCli(['diff', '--base', 'HEAD', '--format', 'json'])).stdout);
      expect(json).toMatchObject({ version: 1, base: 'HEAD', summary: { broadens: true, risk: true } });
    });
  });

  it('colours text on a terminal only, and never with NO_COLOR', async () => {
    expect(useColour(true, {})).toBe(true);
    expect(useColour(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColour(false, {})).toBe(false);
    expect(useColour(undefined, {})).toBe(false);
    const report = { version: 1 as const, base: 'HEAD', projects: [{ project: 'web', status: 'changed' as const, causes: [], roles: [{ role: 'viewer' as const, structural: { added: [], removed: [], changed: [] }, gained: [{ action: 's3:GetObject', resource: 'arn:aws:s3:::b/*', service: 's3', levels: ['Read'], sid: 'S3', pattern: 's3:GetObject*', cause: 'x' }], lost: [], broadens: true, risk: false }] }], summary: { projects: 1, gained: 1, lost: 0, broadens: true, risk: false } };
    expect(renderText(report, ANSI)).toContain('\x1b[32m+ s3 · Read on arn:aws:s3:::b/*: GetObject\x1b[0m');
    expect(renderText(report, NO_COLOURS)).not.toContain('\x1b');
  });

  it('--fail-on broaden exits 0 when roles only lose, 1 when one gains', async () => {
    const dir = repository();
    await inFolder(dir, async () => {
      await committed(dir);
      fs.writeFileSync('projects/web.yaml', projectYaml('web', 'team:\n  - user: bob\n    role: contributor\n'));
      expect((await runCli(['diff', '--base', 'HEAD', '--fail-on', 'broaden'])).code).toBe(0);
      expect((await runCli(['diff', '--base', 'HEAD'])).code).toBe(1);
    });
  });

  it('names a template that changed since the revision as the cause', async () => {
    const dir = repository();
    await inFolder(dir, async () => {
      await committed(dir);
      const file = 'templates/resources/codecommit-repository.hbs';
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"codecommit:GitPush",', ''));
      const run = await runCli(['diff', '--base', 'HEAD']);
      expect(run.stdout).toContain('cause: templates changed: templates/resources/codecommit-repository.hbs');
      expect(run.stdout).toContain('- codecommit · Write on arn:aws:codecommit:us-east-2:111111111111:web: GitPush');
    });
  });

  it('exits 2, naming each file and what is wrong with it, when a hand has changed the output it reads; against a revision too', async () => {
    const dir = repository();
    await inFolder(dir, async () => {
      await committed(dir);
      fs.appendFileSync('projects/web.yaml', '  - type: codebuild-project\n    name: web-build\n');
      fs.writeFileSync('output/web/owner.json', '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": ["*"] }] }\n');
      fs.writeFileSync('output/web/contributor.json', '{}\n');
      fs.writeFileSync('output/web/manifest.json', 'not JSON\n');
      fs.rmSync('output/web/viewer.json');
      fs.symlinkSync(path.resolve('output/web/service-role.json'), 'output/web/viewer.json');
      // A user's own file, and a resource policy, are not read as policies of a role.
      fs.writeFileSync('output/web/notes.txt', 'not JSON\n');
      const run = await runCli(['diff']);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr.split('\n').filter((line) => !line.startsWith('  hint: '))).toEqual([
        'output/web/contributor.json: error output-unreadable: the diff cannot read it: it is not a policy document: it has no Statement list',
        `output/web/manifest.json: error output-unreadable: the diff cannot read it: it is not JSON (Unexpected token 'o', "not JSON\\n" is not valid JSON)`,
        'output/web/owner.json: error output-unreadable: the diff cannot read it: statement 1 has no Action list (codestar-policy writes a list, even of one)',
        'output/web/viewer.json: error output-unreadable: the diff cannot read it: it is a symbolic link, and the diff reads no file through a link',
        '4 errors, 0 warnings; no diff',
        '',
      ]);
      expect(run.stderr).toContain('  hint: codestar-policy wrote it otherwise: restore it (git checkout -- output/web/owner.json), or remove it, then diff; generate writes it again.\n');

      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', 'a hand in the output');
      const atBase = await runCli(['diff', '--base', 'HEAD', '--format', 'json']);
      expect(atBase.code).toBe(2);
      expect(atBase.stderr).toContain('output/web/contributor.json: error output-unreadable: the diff cannot read it as committed at HEAD: it is not a policy document');
      expect(atBase.stderr).toContain('hint: codestar-policy wrote it otherwise: diff against another revision, or fix the file in a commit of its own.');
      // Restored, the same change diffs as ever.
      git(dir, 'checkout', 'HEAD~1', '--', 'output');
      expect((await runCli(['diff'])).code).toBe(1);
    });
  });

  it('exits 2 outside a git repository', async () => {
    const dir = repository();
    fs.rmSync(path.join(dir, '.git'), { recursive: true });
    const run = await inFolder(dir, () => runCli(['diff', '--base', 'HEAD']));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error git-failed: cannot read output at HEAD');
  });
});

describe('a named pipe in the output folder', () => {
  // Opened to read, a pipe with no writer waits for ever, and blocks the whole thread: each command
  // runs as its own process, so that a wait fails the test at the time limit rather than hang it.
  const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'main.js');
  const run = (dir: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000 });

  it('is changed for check, unreadable for diff, and replaced by generate; nothing waits on it', () => {
    const dir = repository();
    expect(run(dir, 'generate').status).toBe(0);
    fs.rmSync(path.join(dir, 'output', 'web', 'viewer.json'));
    execFileSync('mkfifo', [path.join(dir, 'output', 'web', 'viewer.json')]);
    const check = run(dir, 'check');
    expect([check.status, check.signal]).toEqual([1, null]);
    expect(check.stdout).toContain('changed  output/web/viewer.json');
    const diff = run(dir, 'diff');
    expect([diff.status, diff.signal]).toEqual([2, null]);
    expect(diff.stderr).toContain('output/web/viewer.json: error output-unreadable: the diff cannot read it: it is not a file (a named pipe, a socket or a device)');
    expect(run(dir, 'generate').status).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'output', 'web', 'viewer.json')).isFile()).toBe(true);
    expect(run(dir, 'check').status).toBe(0);
  });
});
