import fc from 'fast-check';
import { evaluate } from '../../src/analysis/evaluate';
import { MAX_PARTS, pack } from '../../src/policy/pack';
import { normalise } from '../../src/policy/normalise';
import { policySize, Statement } from '../../src/policy/statement';
import { generateYaml, projectYaml } from '../support/fixtures';

/** A project of `n` Lambda functions with the longest names their rule allows (64 characters). */
function lambdas(names: string[]): string {
  return projectYaml('lambdas', `team:\n  - user: o\n    role: owner\nresources:\n${names.map((n) => `  - { type: lambda-function, name: ${n} }\n`).join('')}  - { type: iam-role, name: CodeStarWorker-lambdas-Lambda }\n`);
}
const longName = (i: number) => `fn-${String(i).padStart(3, '0')}-`.padEnd(64, 'x');
const forty = Array.from({ length: 40 }, (_, i) => longName(i));

describe('a project of 40 Lambda functions with the longest names', () => {
  const result = generateYaml({ 'lambdas.yaml': lambdas(forty) });
  const manifest = JSON.parse(result.files.get('lambdas/manifest.json')!);

  it('generates without error, in packed parts each within IAM\'s limit', () => {
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const role of ['owner', 'contributor', 'viewer']) {
      const parts = manifest.policies.filter((p: { role: string }) => p.role === role);
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.length).toBeLessThanOrEqual(MAX_PARTS);
      for (const part of parts) {
        expect(part.size).toBeLessThanOrEqual(6144);
        expect(JSON.parse(result.files.get(`lambdas/${part.file}`)!).Statement.length).toBeGreaterThan(0);
      }
    }
  });

  it('names the parts CodeStar_<id>_<Role>, then _2, _3..., in owner.json, owner-2.json...', () => {
    const owner = manifest.policies.filter((p: { role: string }) => p.role === 'owner');
    expect(owner.slice(0, 2).map((p: { name: string; file: string }) => [p.name, p.file])).toEqual([
      ['CodeStar_lambdas_Owner', 'owner.json'],
      ['CodeStar_lambdas_Owner_2', 'owner-2.json'],
    ]);
  });

  it('changes two part files per role when one function is added (its function and its log group)', () => {
    const more = generateYaml({ 'lambdas.yaml': lambdas([...forty, longName(40)]) });
    const changed = [...more.files.keys()].filter((f) => !f.endsWith('manifest.json') && more.files.get(f) !== result.files.get(f));
    expect(changed.length).toBeLessThanOrEqual(6);
  });
});

describe('packing', () => {
  it('is an error past IAM\'s default quota of 10 managed policies per user or role', () => {
    const result = generateYaml({ 'lambdas.yaml': lambdas(Array.from({ length: 150 }, (_, i) => longName(i))) });
    expect(result.files.size).toBe(0);
    expect(result.problems).toContainEqual(expect.objectContaining({ code: 'too-many-parts', severity: 'error', message: expect.stringMatching(/project lambdas: the (owner|contributor|viewer) policy needs \d+ managed policies/) }));
  });

  it('leaves a policy within the limit whole', () => {
    const doc = normalise([{ Sid: 'A', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] }]);
    expect(pack(doc)).toEqual([doc]);
  });

  const arn = fc.stringMatching(/^[a-z]{1,3}$/).map((s) => `arn:aws:s3:::bucket-${s}`);
  const statements = fc.array(
    fc.record({
      Sid: fc.stringMatching(/^[A-Z][a-z]{0,6}$/),
      Effect: fc.constant('Allow' as const),
      Action: fc.subarray(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:Get*', 's3:DeleteObject'], { minLength: 1 }),
      Resource: fc.array(arn, { minLength: 1, maxLength: 60 }),
    }),
    { minLength: 1, maxLength: 30 },
  );

  it('never loses or adds a grant: the parts together decide every request as the whole policy does', () => {
    fc.assert(
      fc.property(statements, fc.integer({ min: 400, max: 3000 }), (raw, limit) => {
        const doc = normalise(raw as Statement[]);
        const parts = pack(doc, limit);
        const union = { Statement: parts.flatMap((p) => p.Statement) };
        for (const part of parts) if (part.Statement.length > 1) expect(policySize(part)).toBeLessThanOrEqual(limit);
        const resources = [...new Set(doc.Statement.flatMap((s) => s.Resource))];
        for (const action of ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject', 's3:GetBucketPolicy']) {
          for (const resource of [...resources, 'arn:aws:s3:::elsewhere']) {
            expect(evaluate(union, { action, resource })).toBe(evaluate(doc, { action, resource }));
          }
        }
        const sids = parts.flatMap((p) => p.Statement.map((s) => s.Sid));
        expect(new Set(sids).size).toBe(sids.length);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(statements, (raw) => {
        const doc = normalise(raw as Statement[]);
        expect(pack(doc, 800)).toEqual(pack(normalise([...(raw as Statement[])].reverse()), 800));
      }),
    );
  });
});

describe('packing at any limit', () => {
  const statementArb = fc.record({
    Sid: fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
    Effect: fc.constant('Allow' as const),
    Action: fc.array(fc.constantFrom('s3:GetObject', 'lambda:InvokeFunction', 'logs:GetLogEvents', 's3:*'), { minLength: 1, maxLength: 4 }),
    Resource: fc.array(fc.stringMatching(/^arn:aws:s3:::[a-z0-9é"\\]{1,40}$/), { minLength: 1, maxLength: 30 }),
  });

  it('makes parts that each measure, as IAM counts, within the limit', () => {
    fc.assert(
      fc.property(fc.array(statementArb, { minLength: 1, maxLength: 25 }), fc.integer({ min: 400, max: 3000 }), (statements, limit) => {
        const doc = { Version: '2012-10-17' as const, Statement: statements as Statement[] };
        const parts = pack(doc, limit);
        for (const part of parts) expect(JSON.stringify(part).length).toBeLessThanOrEqual(limit);
        expect(parts.flatMap((p) => p.Statement.flatMap((s) => s.Resource)).sort()).toEqual(statements.flatMap((s) => s.Resource).sort());
      }),
      { numRuns: 200 },
    );
  });
});
