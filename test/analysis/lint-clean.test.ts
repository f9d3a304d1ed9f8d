import * as fs from 'fs';
import * as path from 'path';
import { fixtureCases, fixtureYaml, projectsFolder, projectYaml, readTree, ROOT, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

describe('codestar-policy lint', () => {
  it('reports no error on the shipped example and on every golden case', async () => {
    const projects = projectsFolder(Object.fromEntries(fixtureCases().map((name) => [`${name}.yaml`, fixtureYaml(name)])));
    const run = await runCli(['lint', '--projects', projects, '--templates', TEMPLATES]);
    expect(run.stdout).not.toMatch(/ error /);
    expect(run.code).toBe(0);
    const shipped = await runCli(['lint', '--projects', path.join(ROOT, 'projects'), '--templates', TEMPLATES]);
    expect(shipped.stdout).toBe('1 project checked: 0 errors, 0 warnings\n');
  });

  it('proves abc and abc-x apart in one account', async () => {
    const yaml = (id: string) => projectYaml(id, `resources:\n  - { type: codepipeline-pipeline, name: ${id} }\n  - { type: lambda-function, name: ${id} }\n  - { type: codebuild-project, name: ${id} }\n  - { type: cloudformation-stack, name: awscodestar-${id} }\n`);
    const run = await runCli(['lint', '--projects', projectsFolder({ 'abc.yaml': yaml('abc'), 'abc-x.yaml': yaml('abc-x') }), '--templates', TEMPLATES]);
    expect(run.stdout).toBe('2 projects checked: 0 errors, 0 warnings\n');
    expect(run.code).toBe(0);
  });

  it('writes a stable JSON report', async () => {
    const run = await runCli(['lint', '--format', 'json', '--projects', projectsFolder({ 'own.yaml': projectYaml('own', 'resources:\n  - { type: s3-bucket, name: my-own-bucket }\n') }), '--templates', TEMPLATES]);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['version', 'projects', 'summary', 'findings']);
    expect(report).toMatchObject({ version: 1, projects: ['own'], summary: { errors: 0, warnings: 2 } });
    expect(report.findings[0]).toMatchObject({ code: 'service-role-outside-scope', severity: 'warning', message: expect.any(String), hint: expect.any(String) });
  });

  it('exits 2 on bad input', async () => {
    const run = await runCli(['lint', '--projects', projectsFolder({ 'bad.yaml': 'id: bad\n' }), '--templates', TEMPLATES]);
    expect(run.code).toBe(2);
  });
});

describe('a deliberately broken template', () => {
  function broken(edit: (text: string) => string, file: string): string {
    const dir = tempDir('templates-');
    fs.cpSync(TEMPLATES, dir, { recursive: true });
    const target = path.join(dir, 'resources', file);
    fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
    return dir;
  }
  const projects = projectsFolder({ 'my-first-projec.yaml': fs.readFileSync(path.join(ROOT, 'projects', 'my-first-projec.yaml'), 'utf8') });

  it('Viewer given codecommit:GitPush: lint exits 1 naming the policy and statement', async () => {
    const templates = broken((t) => t.replace('"codecommit:GitPull", "codecommit:List*"{{/inline}}', '"codecommit:GitPull", "codecommit:List*", "codecommit:GitPush"{{/inline}}'), 'codecommit-repository.hbs');
    const run = await runCli(['lint', '--projects', projects, '--templates', templates]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('output/my-first-projec/viewer.json [CodeCommit]: error viewer-beyond-read: Viewer holds codecommit:GitPush, a Write action');
  });

  it('Viewer given "*": generate exits 1, says it grants every action, and writes nothing', async () => {
    const templates = broken((t) => t.replace('"codecommit:GitPull", "codecommit:List*"{{/inline}}', '"codecommit:GitPull", "codecommit:List*", "*"{{/inline}}'), 'codecommit-repository.hbs');
    const out = tempDir('out-');
    const run = await runCli(['generate', '--projects', projects, '--templates', templates, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('viewer.json [CodeCommit]: error every-action: "*" grants every action of every service');
    expect(run.stderr).toContain('viewer.json [CodeCommit]: error viewer-beyond-read: Viewer holds "*": every action, writes among them');
    expect(run.stderr).not.toContain('matches no IAM action');
    expect(readTree(out)).toEqual({});
  });

  it('Resource "*" on lambda:UpdateFunctionCode: a counter-example, and generate writes nothing', async () => {
    const templates = broken(
      (t) => t.replace('"lambda:PublishVersion", "lambda:UpdateFunctionCode"', '"lambda:PublishVersion"').replace('{{> logs}},\n    {{> global}}\n  ],\n  "owner"', '{ "Sid": "LambdaCode", "Action": ["lambda:UpdateFunctionCode"], "Resource": ["*"] },\n    {{> logs}},\n    {{> global}}\n  ],\n  "owner"'),
      'lambda-function.hbs',
    );
    const out = tempDir('out-');
    const run = await runCli(['generate', '--projects', projects, '--templates', templates, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('[LambdaCode]: error star-resource: lambda:UpdateFunctionCode supports resource-level permissions but is granted on "*"');
    expect(run.stderr).toMatch(/\[LambdaCode\]: error lattice: Contributor allows lambda:UpdateFunctionCode on arn:aws:lambda:us-east-2:111111111111:function:\S+-outsider \(statement LambdaCode\), but Owner does not/);
    expect(readTree(out)).toEqual({});
  });
});
