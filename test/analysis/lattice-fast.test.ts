import fc from 'fast-check';
import { iamData } from '../../src/analysis/iam-catalog';
import { containedStatementwise, latticeCheck } from '../../src/analysis/lint/lattice';
import { LintTarget } from '../../src/analysis/lint/target';
import { PolicyDocument, Statement } from '../../src/index';
import { referenceLatticeCheck } from '../support/lattice-reference';
import { fixturePolicies, Role } from '../support/policies';

/**
 * The lattice check works on sets of actions per resource, not request by request. It must give the
 * very finding (action, resource, context, Sid) that evaluating every request in order gives: the
 * reference in test/support/lattice-reference.ts, the check as first written.
 */
const catalog = iamData();
const cases = fixturePolicies();

function targets(documents: Record<Role, PolicyDocument>): { viewer: LintTarget; contributor: LintTarget; owner: LintTarget } {
  const target = (role: Role): LintTarget => ({ projectId: 'p', role, file: `output/p/${role}.json`, doc: documents[role], scope: 'project', workerRoles: [] });
  return { viewer: target('viewer'), contributor: target('contributor'), owner: target('owner') };
}

/** Actions a mutation may add: read-only and write, exact names and wildcards, of the services the fixtures use. */
const ACTIONS = ['codecommit:GitPush', 'codecommit:Get*', 'lambda:UpdateFunctionCode', 'lambda:*', 's3:PutObject', 's3:GetObject', 'codebuild:StartBuild', 'codepipeline:*', 'iam:PassRole', 'logs:GetLogEvents', 'cloudformation:DeleteStack', 'codestar:*', 'codestar:Describe*', 'ec2:StartInstances'];

type Mutation = { role: Role; statement: number; action?: string; dropAction?: number; dropResource?: number; widen?: number; cut?: number; unconditional?: number };

function mutate(documents: Record<Role, PolicyDocument>, mutations: Mutation[]): Record<Role, PolicyDocument> {
  const copy = JSON.parse(JSON.stringify(documents)) as Record<Role, PolicyDocument>;
  for (const m of mutations) {
    const statements = copy[m.role].Statement;
    const s: Statement = statements[m.statement % statements.length];
    if (m.action) s.Action = [...new Set([...s.Action, m.action])];
    if (m.dropAction !== undefined && s.Action.length > 1) s.Action.splice(m.dropAction % s.Action.length, 1);
    if (m.dropResource !== undefined && s.Resource.length > 1) s.Resource.splice(m.dropResource % s.Resource.length, 1);
    // A prefix where a name was: the statement now reaches past the project.
    if (m.widen !== undefined && s.Resource.length > 0) {
      const k = m.widen % s.Resource.length;
      if (s.Resource[k] !== '*') s.Resource[k] = `${s.Resource[k].replace(/\*$/, '')}*`;
    }
    // A pattern cut short anywhere, even before its service field: it may reach any service.
    if (m.cut !== undefined && s.Resource.length > 0) {
      const k = m.cut % s.Resource.length;
      s.Resource[k] = `${s.Resource[k].slice(0, m.cut % (s.Resource[k].length + 1))}*`;
    }
    // A condition dropped (from one of the role's few conditional statements): it now holds in every context.
    const conditional = statements.filter((t) => t.Condition);
    if (m.unconditional !== undefined && conditional.length > 0) delete conditional[m.unconditional % conditional.length].Condition;
  }
  return copy;
}

const mutation: fc.Arbitrary<Mutation> = fc.record(
  {
    role: fc.constantFrom<Role>('viewer', 'contributor', 'owner'),
    statement: fc.nat(40),
    action: fc.constantFrom(...ACTIONS),
    dropAction: fc.nat(20),
    dropResource: fc.nat(20),
    widen: fc.nat(20),
    cut: fc.nat(200),
    unconditional: fc.nat(20),
  },
  { requiredKeys: ['role', 'statement'] },
);

describe('the set-based lattice check', () => {
  it.each(cases.map((c) => [c.name, c] as const))('agrees with request-by-request evaluation on %s as generated (no finding)', (_, c) => {
    expect(latticeCheck(targets(c.documents), c.resourceArns, { catalog })).toEqual([]);
    expect(referenceLatticeCheck(targets(c.documents), c.resourceArns, { catalog })).toEqual([]);
  });

  it('agrees with it on randomly broken policies, finding for finding', () => {
    let found = 0;
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.array(mutation, { minLength: 1, maxLength: 4 }), (c, mutations) => {
        const broken = targets(mutate(c.documents, mutations));
        const fast = latticeCheck(broken, c.resourceArns, { catalog });
        found += fast.length;
        expect(fast).toEqual(referenceLatticeCheck(broken, c.resourceArns, { catalog }));
      }),
      { seed: 6, numRuns: 150 },
    );
    // The mutations do break the lattice, often: the comparison is over findings, not only silence.
    expect(found).toBeGreaterThan(50);
  });

  const services = (documents: Record<Role, PolicyDocument>) =>
    [...new Set(Object.values(documents).flatMap((d) => d.Statement.flatMap((s) => s.Action.map((a) => a.split(':')[0].toLowerCase()))))].sort();

  it.each(cases.map((c) => [c.name, c] as const))('proves %s statement by statement, without the search', (_, c) => {
    const d = c.documents;
    expect(containedStatementwise(d.viewer, d.contributor, services(d), catalog)).toBe(true);
    expect(containedStatementwise(d.contributor, d.owner, services(d), catalog)).toBe(true);
  });

  it('never proves a pair that request-by-request evaluation finds a counter-example in', () => {
    const tally = { proved: 0, refused: 0, refusedWithCounterExample: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...cases), fc.array(mutation, { minLength: 1, maxLength: 4 }), (c, mutations) => {
        const documents = mutate(c.documents, mutations);
        const reference = referenceLatticeCheck(targets(documents), c.resourceArns, { catalog });
        for (const [smaller, larger] of [
          ['viewer', 'contributor'],
          ['contributor', 'owner'],
        ] as const) {
          const counterExample = reference.some((p) => p.policy === `output/p/${smaller}.json`);
          if (containedStatementwise(documents[smaller], documents[larger], services(documents), catalog)) {
            tally.proved++;
            expect(counterExample).toBe(false);
          } else {
            tally.refused++;
            if (counterExample) tally.refusedWithCounterExample++;
          }
        }
      }),
      { seed: 11, numRuns: 200 },
    );
    // Both answers occur: the property is not vacuous.
    expect(tally.proved).toBeGreaterThan(50);
    expect(tally.refusedWithCounterExample).toBeGreaterThan(20);
  });
});
