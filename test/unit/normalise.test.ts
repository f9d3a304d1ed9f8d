import { normalise, serialise } from '../../src/policy/normalise';
import { Statement } from '../../src/policy/statement';

const s = (over: Partial<Statement>): Statement => ({ Sid: 'A', Effect: 'Allow', Action: ['svc:Get'], Resource: ['arn:aws:svc:r:1:x'], ...over });

describe('normalise', () => {
  it('sorts and deduplicates actions case-insensitively, lower-casing the service prefix', () => {
    const doc = normalise([s({ Action: ['S3:GetObject', 's3:getobject', 'codebuild:StartBuild', 's3:ListBucket'] })]);
    expect(doc.Statement[0].Action).toEqual(['codebuild:StartBuild', 's3:GetObject', 's3:ListBucket']);
  });

  it('sorts and deduplicates resources exactly (ARNs are case-sensitive)', () => {
    const doc = normalise([s({ Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::B', 'arn:aws:s3:::b'] })]);
    expect(doc.Statement[0].Resource).toEqual(['arn:aws:s3:::B', 'arn:aws:s3:::b']);
  });

  it('merges statements of one Sid that share resources, joining their actions', () => {
    const doc = normalise([s({ Sid: 'Global', Action: ['a:X'], Resource: ['*'] }), s({ Sid: 'Global', Action: ['b:Y'], Resource: ['*'] })]);
    expect(doc.Statement).toEqual([{ Sid: 'Global', Effect: 'Allow', Action: ['a:X', 'b:Y'], Resource: ['*'] }]);
  });

  it('merges statements of one Sid that share actions, joining their resources', () => {
    const doc = normalise([s({ Resource: ['arn:aws:s:r:1:one'] }), s({ Resource: ['arn:aws:s:r:1:two'] })]);
    expect(doc.Statement).toEqual([s({ Resource: ['arn:aws:s:r:1:one', 'arn:aws:s:r:1:two'] })]);
  });

  it('merges three or more statements of one Sid as it merges two: the same as merging them one by one', () => {
    const parts = [s({ Action: ['a:Z', 'a:X'] }), s({ Action: ['A:x', 'b:Y'] }), s({ Action: ['a:W'] })];
    const expected = [s({ Action: ['a:W', 'a:X', 'a:Z', 'b:Y'] })];
    expect(normalise(parts).Statement).toEqual(expected);
    expect(normalise([normalise(parts.slice(0, 2)).Statement[0], parts[2]]).Statement).toEqual(expected);
  });

  it('keeps apart lists that joining their items with newlines would make equal', () => {
    const doc = normalise([s({ Action: ['a:X'], Resource: ['arn:aws:s:r:1:x\narn:aws:s:r:1:y'] }), s({ Action: ['a:Y'], Resource: ['arn:aws:s:r:1:x', 'arn:aws:s:r:1:y'] })]);
    expect(doc.Statement.map((x) => x.Resource)).toEqual([['arn:aws:s:r:1:x\narn:aws:s:r:1:y'], ['arn:aws:s:r:1:x', 'arn:aws:s:r:1:y']]);
  });

  it('keeps statements apart when their conditions differ, and makes their Sids unique', () => {
    const doc = normalise([s({}), s({ Condition: { StringEquals: { 'aws:x': ['1'] } } })]);
    expect(doc.Statement.map((x) => x.Sid)).toEqual(['A', 'A2']);
  });

  it('makes Sids alphanumeric, and derives one from the services when a template gives none', () => {
    const doc = normalise([s({ Sid: 'my-sid_1' }), s({ Sid: '', Action: ['codebuild:StartBuild', 'logs:GetLogEvents'], Resource: ['*'] })]);
    expect(doc.Statement.map((x) => x.Sid)).toEqual(['CodebuildLogsAllResources', 'mysid1']);
  });

  it('sorts statements by Sid and conditions by operator, key and value', () => {
    const doc = normalise([
      s({ Sid: 'B' }),
      s({ Sid: 'A', Condition: { StringLike: { 'k:b': ['z', 'a', 'a'], 'k:a': ['1'] }, ArnEquals: { 'k:c': ['x'] } } }),
    ]);
    expect(doc.Statement.map((x) => x.Sid)).toEqual(['A', 'B']);
    expect(JSON.stringify(doc.Statement[0].Condition)).toBe('{"ArnEquals":{"k:c":["x"]},"StringLike":{"k:a":["1"],"k:b":["a","z"]}}');
  });

  it('merges statements of any Sid that grant the same actions, under the first Sid', () => {
    const doc = normalise([s({ Sid: 'App', Resource: ['arn:aws:s:r:1:app'] }), s({ Sid: 'Group', Resource: ['arn:aws:s:r:1:group'] })]);
    expect(doc.Statement).toEqual([s({ Sid: 'App', Resource: ['arn:aws:s:r:1:app', 'arn:aws:s:r:1:group'] })]);
  });

  it('leaves out a named resource that a pattern of the statement covers, and keeps every pattern', () => {
    const doc = normalise([s({ Resource: ['arn:aws:s:r:1:app/*', 'arn:aws:s:r:1:app/g1', 'arn:aws:s:r:1:app', 'arn:aws:s:r:1:a*', 'arn:aws:s:r:1:a*/*'] })]);
    expect(doc.Statement[0].Resource).toEqual(['arn:aws:s:r:1:a*', 'arn:aws:s:r:1:a*/*', 'arn:aws:s:r:1:app/*']);
  });

  it('gives the same document for the same statements in any order', () => {
    const a = [s({ Sid: 'X', Resource: ['arn:aws:s:r:1:a'] }), s({ Sid: 'Y', Action: ['b:B'] }), s({ Sid: 'X', Resource: ['arn:aws:s:r:1:b'] })];
    expect(serialise(normalise(a))).toBe(serialise(normalise([...a].reverse())));
  });
});

describe('serialise', () => {
  it('writes two-space JSON with LF line ends and a final newline', () => {
    expect(serialise({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});
