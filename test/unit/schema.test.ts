import Ajv from 'ajv';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as path from 'path';
import { loadTemplates } from '../../src/index';
import { projectSchema } from '../../src/model/schema';
import { fixtureCases, fixtureYaml, ROOT, TEMPLATES } from '../support/fixtures';

const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'project.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(committed);

describe('schema/project.schema.json', () => {
  it('is what `codestar-policy schema` builds from the shipped templates (regenerate it if this fails)', () => {
    expect(committed).toEqual(projectSchema(loadTemplates(TEMPLATES).templates!.types.values()));
  });

  it.each(fixtureCases())('accepts the golden case %s', (name) => {
    expect(validate(yaml.load(fixtureYaml(name)))).toBe(true);
  });

  it('accepts the shipped example', () => {
    expect(validate(yaml.load(fs.readFileSync(path.join(ROOT, 'projects', 'my-first-projec.yaml'), 'utf8')))).toBe(true);
  });

  it.each([
    ['an unquoted account', 'id: abc\nregion: us-east-2\naccount: 111111111111\n'],
    ['a misspelt field', 'id: abc\nregion: us-east-2\naccount: "111111111111"\nresorces: []\n'],
    ['an unknown type', 'id: abc\nregion: us-east-2\naccount: "111111111111"\nresources:\n  - type: nope\n    name: x\n'],
    ['a name with *', 'id: abc\nregion: us-east-2\naccount: "111111111111"\nresources:\n  - type: s3-bucket\n    name: "b*"\n'],
    ['a bad role', 'id: abc\nregion: us-east-2\naccount: "111111111111"\nteam:\n  - user: a\n    role: admin\n'],
  ])('rejects %s', (_, text) => {
    expect(validate(yaml.load(text))).toBe(false);
  });
});
