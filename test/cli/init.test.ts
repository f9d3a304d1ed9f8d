import * as fs from 'fs';
import * as path from 'path';
import { loadTemplates } from '../../src/index';
import { inFolder, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

describe('codestar-policy init', () => {
  it('writes a starter that generate accepts as it is, and again once a resource is uncommented', async () => {
    const dir = tempDir('init-');
    await inFolder(dir, async () => {
      expect(await runCli(['init', 'web', '--region', 'eu-west-1', '--account', '222222222222', '--templates', TEMPLATES])).toMatchObject({ code: 0, stdout: 'wrote projects/web.yaml: uncomment its resources, then run codestar-policy generate\n' });
      expect((await runCli(['generate', '--templates', TEMPLATES])).code).toBe(0);
      const text = fs.readFileSync('projects/web.yaml', 'utf8');
      fs.writeFileSync('projects/web.yaml', text.replace('  # - type: codebuild-project\n  #   name: ...', '  - type: codebuild-project\n    name: web-build').replace('  # - user: alice', '  - user: alice').replace('  #   role: owner', '    role: owner'));
      const run = await runCli(['generate', '--templates', TEMPLATES]);
      expect(run.code).toBe(0);
      expect(fs.readFileSync('output/web/owner.json', 'utf8')).toContain('arn:aws:codebuild:eu-west-1:222222222222:project/web-build');
      expect(JSON.parse(fs.readFileSync('output/web/manifest.json', 'utf8')).team).toEqual([{ user: 'alice', role: 'owner', policy: 'CodeStar_web_Owner' }]);
    });
  });

  it('lists every resource type of the templates, with each field', async () => {
    const dir = tempDir('init-');
    await inFolder(dir, () => runCli(['init', 'web', '--templates', TEMPLATES]));
    const text = fs.readFileSync(path.join(dir, 'projects', 'web.yaml'), 'utf8');
    for (const type of loadTemplates(TEMPLATES).templates!.types.values()) {
      expect(text).toContain(`  # - type: ${type.name}\n`);
      for (const field of type.fields) expect(text).toMatch(new RegExp(`# - type: ${type.name}\\n(  #   \\w+: \\.\\.\\..*\\n)*  #   ${field.name}: \\.\\.\\.`));
    }
  });

  it('never overwrites a project', async () => {
    const dir = tempDir('init-');
    fs.mkdirSync(path.join(dir, 'projects'));
    fs.writeFileSync(path.join(dir, 'projects', 'web.yml'), 'mine\n');
    const run = await inFolder(dir, () => runCli(['init', 'web', '--templates', TEMPLATES]));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('codestar-policy init: projects/web.yml exists; init never overwrites a project (edit it, or remove it first)\n');
    expect(fs.readFileSync(path.join(dir, 'projects', 'web.yml'), 'utf8')).toBe('mine\n');
  });

  it.each([
    [['init', 'Web_1'], 'breaks CodeStar\'s rule'],
    [['init', 'web', '--region', 'mars-1'], 'is not an AWS Region code'],
    [['init', 'web', '--account', '1234'], 'is not 12 digits'],
  ])('refuses %j', async (argv, message) => {
    const dir = tempDir('init-');
    const run = await inFolder(dir, () => runCli([...argv, '--templates', TEMPLATES]));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(fs.existsSync(path.join(dir, 'projects'))).toBe(false);
  });
});
