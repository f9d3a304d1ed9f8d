import fc from 'fast-check';
import { patternContains } from '../../src/policy/glob';
import { narrowToScope } from '../../src/policy/narrow-to-scope';
import { PolicyDocument, Statement } from '../../src/policy/statement';

const scope: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'S3', Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::aws-codestar-*', 'arn:aws:s3:::aws-codestar-*/*'] },
    { Sid: 'Services', Effect: 'Allow', Action: ['codebuild:*'], Resource: ['*'] },
    {
      Sid: 'Team',
      Effect: 'Allow',
      Action: ['iam:AttachUserPolicy'],
      Resource: ['*'],
      Condition: { ArnEquals: { 'iam:PolicyArn': ['arn:aws:iam::*:policy/CodeStar_*'] } },
    },
  ],
};

const statement = (over: Partial<Statement>): Statement => ({ Sid: 'X', Effect: 'Allow', Action: ['s3:*'], Resource: [], ...over });

describe('narrowToScope', () => {
  it('keeps grants that the scope covers', () => {
    const kept = narrowToScope([statement({ Resource: ['arn:aws:s3:::aws-codestar-b', 'arn:aws:s3:::aws-codestar-b/*'] })], scope);
    expect(kept.dropped).toEqual([]);
    expect(kept.statements[0].Resource).toEqual(['arn:aws:s3:::aws-codestar-b', 'arn:aws:s3:::aws-codestar-b/*']);
  });

  it('drops, and reports, the grants that the scope does not cover', () => {
    const kept = narrowToScope([statement({ Resource: ['arn:aws:s3:::aws-codestar-b', 'arn:aws:s3:::my-bucket'] })], scope);
    expect(kept.statements[0].Resource).toEqual(['arn:aws:s3:::aws-codestar-b']);
    expect(kept.dropped).toEqual([{ sid: 'X', actions: ['s3:*'], resource: 'arn:aws:s3:::my-bucket' }]);
  });

  it('drops only the actions that are not covered', () => {
    const kept = narrowToScope([statement({ Action: ['codebuild:StartBuild', 'lambda:InvokeFunction'], Resource: ['arn:aws:codebuild:r:1:project/p'] })], scope);
    expect(kept.statements[0].Action).toEqual(['codebuild:StartBuild']);
    expect(kept.dropped[0].actions).toEqual(['lambda:InvokeFunction']);
  });

  it('requires a condition at least as strict as the scope\'s', () => {
    const narrower = { ArnEquals: { 'iam:PolicyArn': ['arn:aws:iam::1:policy/CodeStar_p_Owner'] } };
    const wider = { ArnEquals: { 'iam:PolicyArn': ['arn:aws:iam::1:policy/Admin'] } };
    const base = { Action: ['iam:AttachUserPolicy'], Resource: ['arn:aws:iam::1:user/a'] };
    expect(narrowToScope([statement({ ...base, Condition: narrower })], scope).dropped).toEqual([]);
    expect(narrowToScope([statement({ ...base, Condition: wider })], scope).statements).toEqual([]);
    expect(narrowToScope([statement(base)], scope).statements).toEqual([]);
  });

  it('reads a negated condition the other way: fewer values excluded is looser', () => {
    const negated = (values: string[]) => ({ StringNotEquals: { 'aws:RequestedRegion': values } });
    const within: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'S', Effect: 'Allow', Action: ['codebuild:*'], Resource: ['*'], Condition: negated(['us-east-1', 'eu-west-1']) }] };
    const base = { Action: ['codebuild:StartBuild'], Resource: ['arn:aws:codebuild:r:1:project/p'] };
    // Excluding only us-east-1 would allow eu-west-1, which the scope excludes.
    expect(narrowToScope([statement({ ...base, Condition: negated(['us-east-1']) })], within).statements).toEqual([]);
    expect(narrowToScope([statement({ ...base, Condition: negated(['eu-west-1', 'us-east-1', 'us-west-2']) })], within).dropped).toEqual([]);
  });

  it('drops exactly the grants that no unconditional scope statement covers, pattern by pattern', () => {
    // Resources that agree with the scope's patterns up to a wildcard, and some that do not; a second
    // call with the same scope is answered from its index, so each case narrows twice.
    const resources = ['arn:aws:s3:::aws-codestar-b', 'arn:aws:s3:::aws-codestar-b/*', 'arn:aws:s3:::aws-codestar*', 'arn:aws:s3:::aws-codestarx', 'arn:aws:s3:::aws-codes', 'arn:aws:s3:::*', 'arn:aws:codebuild:r:1:project/p', '*'];
    const actions = ['s3:GetObject', 's3:*', 'codebuild:StartBuild', 'codebuild:*', 'lambda:InvokeFunction'];
    const plain = (action: string, resource: string) =>
      scope.Statement.some((s) => !s.Condition && s.Action.some((a) => patternContains(a, action, { ignoreCase: true })) && s.Resource.some((p) => patternContains(p, resource)));
    let dropped = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.constantFrom(...actions), { minLength: 1 }), fc.uniqueArray(fc.constantFrom(...resources), { minLength: 1 }), (action, resource) => {
        for (let twice = 0; twice < 2; twice++) {
          const result = narrowToScope([statement({ Action: action, Resource: resource })], scope);
          const expected = resource.flatMap((r) => {
            const lost = action.filter((a) => !plain(a, r));
            return lost.length ? [{ sid: 'X', actions: lost, resource: r }] : [];
          });
          expect(result.dropped).toEqual(expected);
          dropped += expected.length;
        }
      }),
      { seed: 5, numRuns: 300 },
    );
    expect(dropped).toBeGreaterThan(100);
  });
});
