import * as fs from 'fs';
import * as path from 'path';
import { projectsFolder, projectYaml, readTree, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

/**
 * Every bad input gets a clear message naming file, line, column, field and what to do, exit code 2,
 * and leaves the output folder exactly as it was.
 */
async function generateBad(files: Record<string, string>) {
  const projects = projectsFolder(files);
  const out = tempDir('out-');
  fs.mkdirSync(path.join(out, 'existing'));
  fs.writeFileSync(path.join(out, 'existing', 'owner.json'), '{"kept": true}\n');
  const before = readTree(out);
  const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
  return { ...run, projects, unchanged: JSON.stringify(readTree(out)) === JSON.stringify(before) };
}

const resources = (lines: string) => `resources:\n${lines}`;

describe('bad input', () => {
  it('a YAML syntax error', async () => {
    const run = await generateBad({ 'proj.yaml': 'id: proj\nregion: us-east-2\naccount: "111111111111"\nresources:\n  - type: s3-bucket\n   name: b\n' });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/proj\.yaml:6:\d+: error yaml-syntax: YAML syntax error: /);
    expect(run.stderr).toContain('nothing was written');
  });

  it('an unknown field, with a did-you-mean for a typo', async () => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', 'resorces:\n  - type: s3-bucket\n    name: bucket-b\n') });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toContain('proj.yaml:4:1: error unknown-field: unknown field "resorces" in a project; did you mean "resources"? (field resorces)');
    expect(run.stderr).toContain('hint: Rename it to resources.');
  });

  it('an unknown field in a resource, with the fields of its type', async () => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', resources('  - type: s3-bucket\n    nmae: bucket-b\n')) });
    expect(run.stderr).toContain('proj.yaml:6:5: error unknown-field: unknown field "nmae" in a resource of type s3-bucket; did you mean "name"? (field resources[0].nmae)');
  });

  it.each([
    ['id', 'region: us-east-2\naccount: "111111111111"\n', 'id-missing', 'id is required'],
    ['region', 'id: proj\naccount: "111111111111"\n', 'region-missing', 'region is required'],
    ['account', 'id: proj\nregion: us-east-2\n', 'account-missing', 'account is required'],
  ])('a missing %s', async (field, yaml, code, message) => {
    const run = await generateBad({ 'proj.yaml': yaml });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(new RegExp(`proj\\.yaml:1:1: error ${code}: ${message} \\(field ${field}\\)\\n  hint: Add `));
  });

  it('an account written as an unquoted number, quoting the digits as written', async () => {
    const run = await generateBad({ 'proj.yaml': 'id: proj\nregion: us-east-2\naccount: 012345678901\n' });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toContain('proj.yaml:3:10: error account-not-string: account 012345678901 is written as a number, which YAML reads as 12345678901 (the digits change) (field account)');
    expect(run.stderr).toContain('hint: Quote it: account: "012345678901".');
  });

  it('an account that is not 12 digits', async () => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', '', '12345') });
    expect(run.stderr).toContain('error account-invalid: account "12345" is not 12 digits');
  });

  it.each([['My_Project'], ['a'], ['abcdefghijklmnop'], ['9lives']])('an id that breaks CodeStar\'s rule: %s', async (id) => {
    const run = await generateBad({ [`${id}.yaml`]: projectYaml(id) });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toContain(`${id}.yaml:1:5: error id-invalid: id "${id}" breaks CodeStar's rule: 2-15 characters`);
  });

  it('an id that differs from its file name', async () => {
    const run = await generateBad({ 'other.yaml': projectYaml('proj') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('other.yaml:1:5: error id-file-mismatch: id "proj" differs from the file\'s name, other.yaml (field id)');
    expect(run.stderr).toContain('hint: Rename the file to proj.yaml, or set id: other.');
  });

  it.each([
    ['*', 'codebuild-project', 'name', 'build*', "'*'"],
    ['?', 'codecommit-repository', 'name', 'repo?', "'?'"],
    ['"', 'lambda-function', 'name', "'fn\"x'", "'\"'"],
    ['/', 's3-bucket', 'name', 'bucket/x', "'/'"],
    ['$', 'iam-role', 'name', "'role${aws:username}'", "'$'"],
    ['{', 'elasticbeanstalk-application', 'name', "'app{x'", "'{'"],
    ['a space', 'codepipeline-pipeline', 'name', "'my pipeline'", 'a space'],
    ['a tab', 'cloudformation-stack', 'name', '"stack\\tx"', 'whitespace'],
  ])('a name containing %s', async (_, type, field, value, described) => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', resources(`  - type: ${type}\n    ${field}: ${value}\n`)) });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(new RegExp(`proj\\.yaml:6:\\d+: error name-invalid: .* breaks the naming rule for the ${field} of a ${type}: .*\\(it contains ${described.replace(/[?*$"{]/g, '\\$&')}, which is not allowed\\) \\(field resources\\[0\\]\\.${field}\\)`));
  });

  it.each([
    ['an unquoted account', 'crossAccountViewers: [222222222222]\n', 'cross-account-invalid', '222222222222 is not a 12-digit account id written as a string'],
    ["the project's own account", 'crossAccountViewers: ["111111111111"]\n', 'cross-account-own', "111111111111 is the project's own account"],
    ['an account listed twice', 'crossAccountViewers: ["222222222222", "222222222222"]\n', 'cross-account-duplicate', '222222222222 is listed twice'],
  ])('a cross-account viewer: %s', async (_, yaml, code, message) => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', yaml) });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(new RegExp(`proj\\.yaml:4:\\d+: error ${code}: ${message}`));
  });

  it('an unknown resource type, listing the known ones', async () => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', resources('  - type: sqs-queue\n    name: q\n')) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('proj.yaml:5:11: error resource-type-unknown: unknown resource type "sqs-queue" (field resources[0].type)');
    expect(run.stderr).toMatch(/hint: Known types: apigateway-restapi, cloud9-environment, .*, s3-bucket, sns-topic\. A new type is one template/);
  });

  it('a resource listed twice, in its typed and its ARN form', async () => {
    const run = await generateBad({
      'proj.yaml': projectYaml('proj', resources('  - type: codebuild-project\n    name: build-b\n  - arn: arn:aws:codebuild:us-east-2:111111111111:project/build-b\n')),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('proj.yaml:7:5: error resource-duplicate: codebuild-project arn:aws:codebuild:us-east-2:111111111111:project/build-b is listed twice (first at line 5) (field resources[1])');
  });

  it.each([
    ['account', 'arn:aws:codebuild:us-east-2:999999999999:project/b', 'account 999999999999 is not the project\'s, 111111111111'],
    ['region', 'arn:aws:codebuild:eu-west-1:111111111111:project/b', 'region eu-west-1 is not the project\'s, us-east-2'],
    ['partition', 'arn:aws-cn:s3:::bucket-b', 'partition aws-cn is not the project\'s, aws'],
  ])('an ARN from another %s', async (_, arn, why) => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', resources(`  - arn: ${arn}\n`)) });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toContain(`proj.yaml:5:10: error arn-foreign: ${arn}: its ${why} (field resources[0].arn)`);
  });

  it('an ARN of a type the templates do not know', async () => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj', resources('  - arn: arn:aws:sqs:us-east-2:111111111111:queue\n')) });
    expect(run.stderr).toContain('error arn-unknown-type: arn:aws:sqs:us-east-2:111111111111:queue is not an ARN of any known resource type');
  });

  it('two files with the same id', async () => {
    const run = await generateBad({ 'proj.yaml': projectYaml('proj'), 'proj.yml': projectYaml('proj') });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/proj\.yml:1:5: error id-duplicate: id proj is also the id of .*proj\.yaml \(field id\)/);
  });

  it('reports every problem of every file in one run, in file and line order', async () => {
    const run = await generateBad({
      'alpha.yaml': 'id: alpha\nregion: mars-1\naccount: 1\n',
      'beta.yaml': projectYaml('beta', resources('  - type: nope\n  - arn: arn:aws:s3:::ok-bucket\n  - arn: arn:aws:s3:::ok-bucket\n')),
    });
    expect(run.code).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => / error /.test(l));
    expect(errors.map((l) => l.replace(/^.*\//, '').split(' ')[0])).toEqual(['alpha.yaml:2:9:', 'alpha.yaml:3:10:', 'beta.yaml:5:11:', 'beta.yaml:7:5:']);
    expect(run.stderr).toContain('4 errors, 0 warnings; nothing was written');
  });

  it('an output folder that is a file: a clear message, no stack trace', async () => {
    const out = path.join(tempDir(), 'output');
    fs.writeFileSync(out, 'not a folder');
    const run = await runCli(['generate', '--projects', projectsFolder({ 'proj.yaml': projectYaml('proj') }), '--templates', TEMPLATES, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^codestar-policy: cannot (mkdir|open) .*output(\/proj\S*)?: (ENOTDIR|EEXIST) \((a file where a folder should be|it exists, and is not a folder)\)\n$/);
  });

  it('a project file that cannot be read', async () => {
    const projects = projectsFolder({});
    fs.mkdirSync(path.join(projects, 'dir.yaml'));
    const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', tempDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/dir\.yaml: error project-unreadable: cannot read the project file \(EISDIR\)/);
  });

  it('a missing project named on the command line', async () => {
    const run = await runCli(['generate', 'nope', '--projects', projectsFolder({}), '--templates', TEMPLATES, '--out', tempDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error project-not-found: no project nope');
  });

  it('an unknown option, with the usage', async () => {
    const run = await runCli(['generate', '--porjects', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Unknown argument: porjects');
  });
});
