import * as fs from 'fs';
import * as path from 'path';
import { projectYaml, readTree, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

/**
 * Hostile input: each case ends in a clear message with exit 2 (or, where the input is fine, in the
 * policies it asks for), never a stack trace, and the output folder is as it was.
 */
async function generate(files: Record<string, string | Buffer>, options: { out?: string; templates?: string } = {}) {
  const projects = tempDir('projects-');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(projects, name), text);
  const out = options.out ?? tempDir('out-');
  if (!options.out) {
    fs.mkdirSync(path.join(out, 'existing'));
    fs.writeFileSync(path.join(out, 'existing', 'owner.json'), '{"kept": true}\n');
  }
  const before = readTree(out);
  const run = await runCli(['generate', '--projects', projects, '--templates', options.templates ?? TEMPLATES, '--out', out]);
  return { ...run, out, unchanged: JSON.stringify(readTree(out)) === JSON.stringify(before) };
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);

describe('hostile input', () => {
  it('a YAML alias bomb ("billion laughs") is refused quickly, within bounded memory', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = `${projectYaml('bomb')}${levels.join('\n')}\nresources: *j\n`;
    const started = process.hrtime.bigint();
    const run = await generate({ 'bomb.yaml': bomb });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/bomb\.yaml:\d+:\d+: error yaml-alias/);
    noStack(run.stderr);
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(10); // a guard against hanging, not a timing
  });

  it('deep nesting is a clear error, not a stack overflow', async () => {
    const run = await generate({ 'deep.yaml': `${projectYaml('deep')}resources: ${'['.repeat(20000)}${']'.repeat(20000)}\n` });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/deep\.yaml:4:111: error yaml-too-deep/);
    noStack(run.stderr);
  });

  it('a 50 MB project file is refused by its size, without reading it whole', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    const run = await generate({ 'big.yaml': big });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/big\.yaml: error project-too-large: the project file is 50 MB; a project file may be at most 1 MB/);
  });

  it('a project with 10,000 resources is a clear size error', async () => {
    const lines = Array.from({ length: 10000 }, (_, i) => `  - { type: lambda-function, name: fn-${i} }`).join('\n');
    const run = await generate({ 'many.yaml': projectYaml('many', `resources:\n${lines}\n`) });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/many\.yaml:4:1: error too-many-resources: 10000 resources; a project may have at most \d+ \(field resources\)/);
  });

  it('a duplicate key is an error at its line', async () => {
    const run = await generate({ 'dup.yaml': 'id: dup\nregion: us-east-2\nregion: us-west-2\naccount: "111111111111"\n' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/dup\.yaml:3:\d+: error yaml-syntax: YAML syntax error: duplicated mapping key/);
  });

  it('CRLF line endings and a byte-order mark read as the same project', async () => {
    const yaml = projectYaml('crlf', 'resources:\n  - type: s3-bucket\n    name: crlf-bucket\n');
    const plain = await generate({ 'crlf.yaml': yaml });
    const windows = await generate({ 'crlf.yaml': `\ufeff${yaml.replace(/\n/g, '\r\n')}` });
    expect(plain.code).toBe(0);
    expect(windows.code).toBe(0);
    const files = (dir: string) => Object.fromEntries(Object.entries(readTree(dir)).filter(([f]) => f.startsWith('crlf')));
    expect(files(windows.out)).toEqual(files(plain.out));
    // And an error is still placed on the right line.
    const bad = await generate({ 'crlf.yaml': `\ufeff${projectYaml('crlf', 'resorces: []\n').replace(/\n/g, '\r\n')}` });
    expect(bad.stderr).toContain('crlf.yaml:4:1: error unknown-field');
  });

  it('a tab where YAML forbids one is an error at its line', async () => {
    const run = await generate({ 'tabs.yaml': `${projectYaml('tabs')}resources:\n\t- type: s3-bucket\n` });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tabs\.yaml:5:\d+: error yaml-syntax/);
  });

  it.each(['../x', 'a/b', '..', '/etc', 'x\u0000y'])('an id such as %j never names a path outside the output folder', async (id) => {
    const run = await generate({ 'p.yaml': `id: ${JSON.stringify(id)}\nregion: us-east-2\naccount: "111111111111"\n` });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(/p\.yaml:1:5: error id-invalid/);
  });

  it('a symbolic link planted at output/<id> is never followed', async () => {
    const elsewhere = tempDir('elsewhere-');
    const out = tempDir('out-');
    fs.symlinkSync(elsewhere, path.join(out, 'web'));
    const run = await generate({ 'web.yaml': projectYaml('web', 'resources:\n  - type: s3-bucket\n    name: web-bucket\n') }, { out });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error output-link: .*web is a symbolic link/);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
    expect(fs.lstatSync(path.join(out, 'web')).isSymbolicLink()).toBe(true);
  });

  it('--prune never follows a link: an orphan that is a link is left alone, and so is its target', async () => {
    const elsewhere = tempDir('elsewhere-');
    fs.writeFileSync(path.join(elsewhere, 'owner.json'), 'not ours\n');
    const out = tempDir('out-');
    fs.symlinkSync(elsewhere, path.join(out, 'old'));
    const projects = tempDir('projects-');
    fs.writeFileSync(path.join(projects, 'web.yaml'), projectYaml('web'));
    const run = await runCli(['generate', '--prune', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(elsewhere, 'owner.json'), 'utf8')).toBe('not ours\n');
    expect(fs.lstatSync(path.join(out, 'old')).isSymbolicLink()).toBe(true);
  });

  it('a symbolic link planted at a policy file is replaced by the file, its target untouched', async () => {
    const yaml = projectYaml('web', 'resources:\n  - type: s3-bucket\n    name: web-bucket\n');
    const first = await generate({ 'web.yaml': yaml });
    const target = path.join(tempDir('elsewhere-'), 'secret.json');
    fs.writeFileSync(target, 'do not touch\n');
    const policy = path.join(first.out, 'web', 'owner.json');
    const expected = fs.readFileSync(policy, 'utf8');
    fs.rmSync(policy);
    fs.symlinkSync(target, policy);
    const again = await generate({ 'web.yaml': yaml }, { out: first.out });
    expect(again.code).toBe(0);
    expect(fs.lstatSync(policy).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(policy, 'utf8')).toBe(expected);
    expect(fs.readFileSync(target, 'utf8')).toBe('do not touch\n');
  });

  it.each([
    ['a template that reads a field that does not exist names the template and the field', '"{{arn}}{{nmae}}"', /s3-bucket\.hbs: error template-render: .*"nmae" not defined/],
    ['a helper given a wrong type names the template and the helper', '{{strings arn}}', /s3-bucket\.hbs: error template-render: .*strings: expected a list/],
  ])('%s', async (_, replacement, expected) => {
    const templates = tempDir('templates-');
    fs.cpSync(TEMPLATES, templates, { recursive: true });
    const file = path.join(templates, 'resources', 's3-bucket.hbs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"{{arn}}"', replacement));
    const run = await generate({ 'web.yaml': projectYaml('web', 'resources:\n  - type: s3-bucket\n    name: web-bucket\n') }, { templates });
    expect(run.code).toBe(2);
    expect(run.unchanged).toBe(true);
    expect(run.stderr).toMatch(expected);
    noStack(run.stderr);
  });
});
