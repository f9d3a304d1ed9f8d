import fc from 'fast-check';
import { iamData } from '../../src/analysis/iam-catalog';
import { statementChecks } from '../../src/analysis/lint/statement-checks';
import { patternContains } from '../../src/policy/glob';
import { Statement } from '../../src/policy/statement';

/**
 * The redundant-statement check tries as covers only the statements that could cover (those naming a
 * statement's first resource, and those with a pattern). It must report what the rule, read plainly,
 * reports: for each statement, the first other statement of the policy that makes its every grant.
 */
const context = { catalog: iamData() };
const REPO = 'arn:aws:codecommit:us-east-2:111111111111:repo';
// Of one service and another, and patterns with a wildcard in the service field or before it.
const RESOURCES = [REPO, `${REPO}-x`, `${REPO}*`, 'arn:aws:codecommit:us-east-2:111111111111:*', 'arn:aws:codecommit:us-east-2:111111111111:re?o', 'arn:aws:code*', 'arn:aws*', 'arn:*:codecommit:*', 'arn:aws:s3:::repo', 'arn:aws:s3:::*', '*'];
const ACTIONS = ['codecommit:GitPull', 'codecommit:GitPush', 'codecommit:Get*', 'codecommit:*'];
const CONDITION = { StringEquals: { 'aws:RequestedRegion': ['us-east-2'] } };

function plainRule(statements: Statement[]): string[] {
  const out: string[] = [];
  for (const s of statements) {
    const cover = statements.find(
      (t) =>
        t !== s &&
        t.Effect === s.Effect &&
        (t.Condition === undefined || JSON.stringify(t.Condition) === JSON.stringify(s.Condition)) &&
        s.Action.every((a) => t.Action.some((b) => patternContains(b, a, { ignoreCase: true }))) &&
        s.Resource.every((r) => t.Resource.some((p) => patternContains(p, r))),
    );
    if (cover) out.push(`${s.Sid} by ${cover.Sid}`);
  }
  return out;
}

const statement: fc.Arbitrary<Omit<Statement, 'Sid'>> = fc.record(
  {
    Effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    Action: fc.uniqueArray(fc.constantFrom(...ACTIONS), { minLength: 1, maxLength: 3 }),
    Resource: fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 0, maxLength: 3 }),
    Condition: fc.constant(CONDITION),
  },
  { requiredKeys: ['Effect', 'Action', 'Resource'] },
);

describe('redundant statements', () => {
  it('are those the plain rule finds, each with the first statement that covers it', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 8 }), (drawn) => {
        const statements = drawn.map((s, k) => ({ Sid: `S${k}`, ...s }));
        const doc = { Version: '2012-10-17' as const, Statement: statements };
        const reported = statementChecks({ projectId: 'p', role: 'owner', file: 'output/p/owner.json', doc, scope: 'project', workerRoles: [] }, context)
          .filter((p) => p.code === 'redundant-statement')
          .map((p) => p.message.replace(/^every grant of (\S+) is also made by (\S+)$/, '$1 by $2'));
        found += reported.length;
        expect(reported).toEqual(plainRule(statements));
      }),
      { seed: 3, numRuns: 500 },
    );
    expect(found).toBeGreaterThan(200);
  });
});
