import * as fs from 'fs';
import * as path from 'path';
import { loadTemplates } from '../../src/index';
import { ROOT, TEMPLATES } from '../support/fixtures';

describe('README.md', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it.each([...loadTemplates(TEMPLATES).templates!.types.values()].map((t) => [t.name, t] as const))('documents the resource type %s with its fields and ARN', (name, type) => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    expect(row).toBeDefined();
    for (const field of type.fields) expect(row).toContain(`\`${field.name}\``);
    for (const arn of type.arns) expect(row).toContain(arn.format);
  });

  it('gives the test command that CI runs', () => {
    expect(readme).toContain('npm test');
    expect(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m);
  });
});
