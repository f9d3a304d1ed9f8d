import { parseYaml } from '../../src/model/yaml-source';

const text = `id: abc
account: 012345678901
team:
  - user: alice
    role: owner
resources:
  - type: codebuild-project
    name: "build"
`;

describe('parseYaml', () => {
  const { source } = parseYaml('p.yaml', text);

  it('locates values by their YAML path, at the value itself', () => {
    expect(source?.locate(['id'])).toEqual({ line: 1, column: 5 });
    expect(source?.locate(['team', 0, 'role'])).toEqual({ line: 5, column: 11 });
    expect(source?.locate(['resources', 0, 'name'])).toEqual({ line: 8, column: 11 });
    expect(source?.locate(['resources', 0])).toEqual({ line: 7, column: 5 });
  });

  it('locates keys, for fields that should not be there', () => {
    expect(source?.locateKey(['team', 0, 'role'])).toEqual({ line: 5, column: 5 });
  });

  it('falls back to the nearest ancestor for a path that is not in the text', () => {
    expect(source?.locate(['resources', 0, 'missing'])).toEqual({ line: 7, column: 5 });
  });

  it('keeps the text of a value as written, even when YAML reads it as a different number', () => {
    expect((source?.value as { account: unknown }).account).toBe(12345678901);
    expect(source?.sourceText(['account'])).toBe('012345678901');
  });

  it('reports a syntax error as a problem with its line and column, never an exception', () => {
    const result = parseYaml('bad.yaml', 'id: abc\nresources:\n  - type: x\n   name: y\n');
    expect(result.source).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'yaml-syntax', file: 'bad.yaml', line: 4 })]);
  });

  it('reports a duplicate key as a syntax error', () => {
    expect(parseYaml('dup.yaml', 'id: a\nid: b\n').problems[0]).toMatchObject({ code: 'yaml-syntax', line: 2 });
  });
});
