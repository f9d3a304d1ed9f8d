import * as fs from 'fs';
import * as path from 'path';
import { fixtureCases, FIXTURES, generateFixture, readTree } from '../support/fixtures';

/**
 * Each folder of test/fixtures with a project.yaml is a case: its generated files must equal expected/
 * byte for byte. Review expected/ like code; `UPDATE_GOLDEN=1 npm test` rewrites it on purpose.
 */
const update = process.env.UPDATE_GOLDEN === '1';

describe.each(fixtureCases())('golden case %s', (name) => {
  const expectedDir = path.join(FIXTURES, name, 'expected');
  const result = generateFixture(name);

  it('generates without errors', () => {
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  const generated = new Map([...result.files].map(([file, text]) => [file.slice(file.indexOf('/') + 1), text]));
  if (update) {
    fs.rmSync(expectedDir, { recursive: true, force: true });
    for (const [file, text] of generated) {
      fs.mkdirSync(path.dirname(path.join(expectedDir, file)), { recursive: true });
      fs.writeFileSync(path.join(expectedDir, file), text);
    }
  }

  it('writes exactly the expected files', () => {
    expect([...generated.keys()].sort()).toEqual(Object.keys(readTree(expectedDir)).sort());
  });

  it.each([...generated.keys()].sort())('%s matches expected/ byte for byte', (file) => {
    expect(generated.get(file)).toBe(fs.readFileSync(path.join(expectedDir, file), 'utf8'));
  });
});
