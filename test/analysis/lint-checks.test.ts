import { iamData } from '../../src/analysis/iam-catalog';
import { isolationCheck } from '../../src/analysis/lint/isolation';
import { latticeCheck } from '../../src/analysis/lint/lattice';
import { roleChecks, sizeChecks } from '../../src/analysis/lint/role-checks';
import { statementChecks } from '../../src/analysis/lint/statement-checks';
import { LintTarget } from '../../src/analysis/lint/target';
import { PolicyKey } from '../../src/render/render-project';
import { Statement } from '../../src/policy/statement';

/**
 * Each check, made to fail by the smallest policy that breaks its rule, and to pass by the same policy
 * put right. (Every golden case passing all checks is in lint-clean.test.ts.)
 */
const context = { catalog: iamData() };
const ARN = {
  repo: 'arn:aws:codecommit:us-east-2:111111111111:repo',
  fn: 'arn:aws:lambda:us-east-2:111111111111:function:fn',
  role: 'arn:aws:iam::111111111111:role/CodeStarWorker-p-Lambda',
  project: 'arn:aws:codestar:us-east-2:111111111111:project/p',
};
const statement = (over: Partial<Statement>): Statement => ({ Sid: 'S', Effect: 'Allow', Action: ['codecommit:GitPull'], Resource: [ARN.repo], ...over });
const target = (statements: Statement[], role: PolicyKey = 'owner', scope: 'project' | 'account' = 'project'): LintTarget => ({
  projectId: 'p',
  role,
  file: `output/p/${role}.json`,
  doc: { Version: '2012-10-17', Statement: statements },
  scope,
  workerRoles: [ARN.role],
});
const codes = (problems: { code: string; severity: string }[]) => problems.map((p) => `${p.severity} ${p.code}`);
const check = (t: LintTarget) => [...statementChecks(t, context), ...roleChecks(t, context)];

describe.each([
  ['unknown-action', [statement({ Action: ['codecommit:GitPushh'] })], [statement({ Action: ['codecommit:GitPush'] })]],
  ['unknown-action', [statement({ Action: ['codecommitt:GitPush'] })], [statement({})]],
  ['wildcard-matches-nothing', [statement({ Action: ['codecommit:Nothing*'] })], [statement({ Action: ['codecommit:Get*'] })]],
  ['every-action', [statement({ Action: ['*'] })], [statement({ Action: ['codecommit:*'] })]],
  ['service-wildcard', [statement({ Action: ['code*:GitPull'] })], [statement({ Action: ['codecommit:GitPull'] })]],
  ['resource-type-mismatch', [statement({ Action: ['lambda:InvokeFunction'], Resource: [ARN.repo] })], [statement({ Action: ['lambda:InvokeFunction'], Resource: [ARN.fn] })]],
  ['resource-type-mismatch', [statement({ Action: ['codecommit:GitPull'], Resource: [ARN.repo, ARN.fn] })], [statement({ Action: ['codecommit:GitPull', 'lambda:GetFunction'], Resource: [ARN.repo, ARN.fn] })]],
  ['star-resource', [statement({ Action: ['lambda:UpdateFunctionCode'], Resource: ['*'] })], [statement({ Action: ['lambda:UpdateFunctionCode'], Resource: [ARN.fn] })]],
  ['wildcard-only-on-arn', [statement({ Action: ['codecommit:ListRepositories'], Resource: [ARN.repo] })], [statement({ Action: ['codecommit:ListRepositories'], Resource: ['*'] })]],
  ['pass-role-star', [statement({ Action: ['iam:PassRole'], Resource: ['*'] })], [statement({ Action: ['iam:PassRole'], Resource: [ARN.role] })]],
  ['duplicate-sid', [statement({}), statement({ Action: ['codecommit:GetBranch'] })], [statement({}), statement({ Sid: 'T', Action: ['codecommit:GetBranch'] })]],
  ['redundant-action', [statement({ Action: ['codecommit:Get*', 'codecommit:GetBranch'] })], [statement({ Action: ['codecommit:Get*'] })]],
  ['redundant-statement', [statement({ Action: ['codecommit:*'] }), statement({ Sid: 'T', Action: ['codecommit:GitPull'] })], [statement({ Action: ['codecommit:*'] })]],
] as const)('the %s check', (code, failing, passing) => {
  it('finds a policy that breaks its rule, naming the policy file and Sid', () => {
    const found = check(target([...failing])).filter((p) => p.code === code);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ policy: 'output/p/owner.json', sid: expect.any(String), message: expect.any(String), hint: expect.any(String) });
  });

  it('passes the same policy put right', () => {
    expect(codes(check(target([...passing]))).filter((c) => c.endsWith(` ${code}`))).toEqual([]);
  });
});

describe('an action IAM would refuse or that grants everything', () => {
  // IAM's own answers: "*" is a valid action that matches every action of every service; a wildcard
  // in the service prefix makes create-policy fail ("Action vendors ... must not contain wildcards").
  // Neither is "a wildcard that matches no IAM action", as lint used to say of both.
  const messages = (t: LintTarget) => check(t).map((p) => `${p.severity} ${p.code}: ${p.message}`);

  it('"*" is one error that says it grants everything, not that it matches nothing, nor that its resources are untaken', () => {
    expect(messages(target([statement({ Action: ['*'], Resource: [ARN.repo] })]))).toEqual(['error every-action: "*" grants every action of every service']);
    expect(messages(target([statement({ Action: ['*'], Resource: ['*'] })]))).toEqual(['error every-action: "*" grants every action of every service']);
  });

  it('"*" in Viewer or Contributor breaks the role rule too: it holds writes and Permissions management', () => {
    expect(messages(target([statement({ Action: ['*'] })], 'viewer'))).toContain('error viewer-beyond-read: Viewer holds "*": every action, writes among them');
    expect(messages(target([statement({ Action: ['*'] })], 'contributor'))).toContain('error contributor-permissions: Contributor holds "*": every action, Permissions management among them');
    // A list that also names read actions is no plainer for it.
    expect(codes(check(target([statement({ Action: ['codecommit:GitPull', '*'] })], 'viewer')))).toContain('error viewer-beyond-read');
  });

  it.each(['*:Get*', 'code*:GitPull', 'code?ommit:GitPull', 'CODE*:GitPull'])('%s: a wildcard in the service prefix, which IAM refuses', (action) => {
    expect(messages(target([statement({ Action: [action], Resource: [ARN.repo] })]))).toEqual([
      `error service-wildcard: ${action} has a wildcard in its service prefix, which IAM refuses ("Action vendors must not contain wildcards"): the policy could not be created`,
    ]);
  });

  it('a wildcard after the colon is IAM\'s own, and a pattern that matches nothing is still said so', () => {
    expect(codes(check(target([statement({ Action: ['codecommit:*'] })])))).toEqual([]);
    expect(codes(check(target([statement({ Action: ['codecommit:Nothing*'] })])))).toEqual(['error wildcard-matches-nothing', 'error resource-type-mismatch']);
  });
});

describe('the role checks', () => {
  it('viewer-beyond-read: Viewer may read, and write only its own CodeStar profile', () => {
    expect(codes(check(target([statement({ Action: ['codecommit:GitPush'] })], 'viewer')))).toContain('error viewer-beyond-read');
    expect(codes(check(target([statement({ Action: ['codecommit:Get*'] })], 'viewer')))).toEqual([]);
    const profile = statement({ Action: ['codestar:*UserProfile'], Resource: ['arn:aws:iam::111111111111:user/${aws:username}'] });
    expect(codes(check(target([profile], 'viewer')))).toEqual([]);
    const anyUser = statement({ Action: ['codestar:*UserProfile'], Resource: ['arn:aws:iam::111111111111:user/*'] });
    expect(codes(check(target([anyUser], 'viewer')))).toContain('error viewer-beyond-read');
  });

  it('contributor-permissions: no permissions management, and iam:PassRole only on the worker roles, named', () => {
    expect(codes(check(target([statement({ Action: ['lambda:AddPermission'], Resource: [ARN.fn] })], 'contributor')))).toContain('error contributor-permissions');
    expect(codes(check(target([statement({ Action: ['iam:PassRole'], Resource: ['arn:aws:iam::111111111111:role/CodeStarWorker-*'] })], 'contributor')))).toContain('error contributor-permissions');
    expect(codes(check(target([statement({ Action: ['iam:PassRole'], Resource: [ARN.role] })], 'contributor')))).toEqual([]);
    expect(codes(check(target([statement({ Action: ['lambda:AddPermission'], Resource: [ARN.fn] })], 'owner')))).toEqual([]);
  });

  it('contributor-team-management: no team management, no deleting the project', () => {
    for (const action of ['codestar:AssociateTeamMember', 'codestar:UpdateTeamMember', 'codestar:DeleteProject']) {
      expect(codes(check(target([statement({ Action: [action], Resource: [ARN.project] })], 'contributor')))).toContain('error contributor-team-management');
    }
    expect(codes(check(target([statement({ Action: ['codestar:PutExtendedAccess'], Resource: [ARN.project] })], 'contributor')))).toEqual([]);
  });

  it("star-resource is a warning, not an error, in CodeStar's own account-wide service role", () => {
    expect(codes(check(target([statement({ Action: ['codecommit:GitPush'], Resource: ['*'] })], 'serviceRole', 'account')))).toEqual(['warning star-resource']);
  });
});

describe('the size checks', () => {
  const big = (n: number) => target([statement({ Resource: Array.from({ length: n }, (_, i) => `${ARN.repo}${i}`) })]);

  it('policy-too-large over 6,144 characters, policy-near-limit over 90%, nothing below', () => {
    expect(codes(sizeChecks(big(120)))).toEqual(['error policy-too-large']);
    expect(codes(sizeChecks(big(115)))).toEqual(['warning policy-near-limit']);
    expect(codes(sizeChecks(big(10)))).toEqual([]);
  });

  it('gives no near-limit warning for a part, which packing fills on purpose', () => {
    expect(codes(sizeChecks(big(115), true))).toEqual([]);
  });
});

describe('the lattice check', () => {
  const roles = (viewer: Statement[], contributor: Statement[], owner: Statement[]) => ({
    viewer: target(viewer, 'viewer'),
    contributor: target(contributor, 'contributor'),
    owner: target(owner, 'owner'),
  });
  const read = statement({ Action: ['codecommit:Get*'] });
  const push = statement({ Sid: 'Push', Action: ['codecommit:GitPush'] });

  it('holds when each role holds the grants of the one below', () => {
    expect(latticeCheck(roles([read], [read, push], [statement({ Action: ['codecommit:*'] })]), [ARN.repo], context)).toEqual([]);
  });

  it('gives a concrete counter-example when Viewer holds more than Contributor', () => {
    const [problem] = latticeCheck(roles([read, push], [read], [statement({ Action: ['codecommit:*'] })]), [ARN.repo], context);
    expect(problem).toMatchObject({ code: 'lattice', severity: 'error', policy: 'output/p/viewer.json', sid: 'Push' });
    expect(problem.message).toBe(`Viewer allows codecommit:GitPush on ${ARN.repo} (statement Push), but Contributor does not`);
  });

  it('catches a pattern cut short before its service field, which can reach any service', () => {
    const wide = statement({ Sid: 'Wide', Action: ['codecommit:GitPull'], Resource: ['arn:aws*'] });
    const [problem] = latticeCheck(roles([wide], [statement({ Action: ['codecommit:GitPull'] })], [statement({ Action: ['codecommit:*'] })]), [ARN.repo], context);
    expect(problem?.message).toBe(`Viewer allows codecommit:GitPull on ${ARN.repo}-outsider (statement Wide), but Contributor does not`);
  });

  it('catches a role reaching past the project, on a neighbouring ARN', () => {
    const wide = statement({ Sid: 'Wide', Action: ['lambda:UpdateFunctionCode'], Resource: ['*'] });
    const [problem] = latticeCheck(roles([], [wide], [statement({ Action: ['lambda:*'], Resource: [ARN.fn] })]), [ARN.fn], context);
    expect(problem.message).toBe(`Contributor allows lambda:UpdateFunctionCode on ${ARN.fn}-outsider (statement Wide), but Owner does not`);
  });

  it('tries the values a condition tests for', () => {
    const pass = (services: string[]) => statement({ Sid: 'Pass', Action: ['iam:PassRole'], Resource: [ARN.role], Condition: { StringEquals: { 'iam:PassedToService': services } } });
    const [problem] = latticeCheck(roles([], [pass(['lambda.amazonaws.com', 'ec2.amazonaws.com'])], [pass(['lambda.amazonaws.com'])]), [ARN.role], context);
    expect(problem.message).toContain('iam:PassRole on arn:aws:iam::111111111111:role/CodeStarWorker-p-Lambda with iam:PassedToService=ec2.amazonaws.com');
  });
});

describe('the isolation check', () => {
  const project = (id: string, resource: string, pattern: string, role: PolicyKey = 'owner', scope: 'project' | 'account' = 'project') => ({
    id,
    account: '111111111111',
    targets: [{ ...target([statement({ Resource: [pattern] })], role, scope), projectId: id, file: `output/${id}/${role}.json` }],
    arns: [resource],
  });

  it('finds a pattern of one project that matches a resource of another, prefix collisions included', () => {
    const problems = isolationCheck([project('abc', `${ARN.repo}-abc`, `${ARN.repo}-abc*`), project('abc-x', `${ARN.repo}-abc-x`, `${ARN.repo}-abc-x`)]);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'isolation', severity: 'error', policy: 'output/abc/owner.json', message: `${ARN.repo}-abc* reaches ${ARN.repo}-abc-x, a resource of project abc-x` }),
    ]);
  });

  it('passes projects whose patterns end at a separator', () => {
    const pipeline = 'arn:aws:codepipeline:us-east-2:111111111111:abc';
    expect(isolationCheck([project('abc', pipeline, `${pipeline}/*`), project('abc-x', `${pipeline}-x`, `${pipeline}-x/*`)])).toEqual([]);
  });

  it('compares projects of the same account only', () => {
    const other = { ...project('abc-x', `${ARN.repo}-abc-x`, `${ARN.repo}-abc-x`), account: '222222222222' };
    expect(isolationCheck([project('abc', `${ARN.repo}-abc`, `${ARN.repo}-abc*`), other])).toEqual([]);
  });

  it('resolves a policy variable before it looks for ARNs the pattern can reach', () => {
    // `${aws:username}` is the member's own name: it reaches the user of that name, whoever holds it.
    const user = 'arn:aws:iam::111111111111:user';
    const member = project('abc-x', `${user}/member`, `${user}/member`);
    expect(isolationCheck([project('abc', `${user}/abc-owner`, `${user}/\${aws:username}`), member])).toEqual([
      expect.objectContaining({ code: 'isolation', policy: 'output/abc/owner.json', message: `${user}/\${aws:username} reaches ${user}/member, a resource of project abc-x` }),
    ]);
    expect(isolationCheck([project('abc', `${user}/abc-owner`, `${user}/\${aws:username}`), project('abc-x', `${user}/abc-x-dev`, `${user}/abc-x-dev`)])).toEqual([]);
  });

  it('leaves out an ARN the project holds too, and names the first other holder of one it does not', () => {
    const shared = 'arn:aws:cloudformation:us-east-2:aws:transform/CodeStar';
    const holder = (id: string) => ({ ...project(id, shared, `${ARN.repo}-${id}`), arns: [shared, `${ARN.repo}-${id}`] });
    // abc holds the transform, as do b and c: it reaches nobody's through it.
    expect(isolationCheck([{ ...project('abc', shared, `${shared}*`), arns: [shared] }, holder('b'), holder('c')])).toEqual([]);
    // abc does not hold it: the transform is b's (the first that does), and reported once.
    expect(isolationCheck([project('abc', `${ARN.repo}-abc`, `${shared}*`), holder('b'), holder('c')])).toEqual([
      expect.objectContaining({ code: 'isolation', message: `${shared}* reaches ${shared}, a resource of project b` }),
    ]);
  });

  it('looks up the same pattern for each project as its own: in every policy of it, and apart from other projects', () => {
    // Both projects write the same pattern, in two policies each: abc reaches abc-x's repository, and abc-x reaches abc's.
    const both = (id: string) => {
      const one = project(id, `${ARN.repo}-${id}`, `${ARN.repo}-abc*`);
      return { ...one, targets: [...one.targets, { ...one.targets[0], role: 'viewer' as PolicyKey, file: `output/${id}/viewer.json` }] };
    };
    expect(isolationCheck([both('abc'), both('abc-x')]).map((p) => `${p.policy}: ${p.message}`)).toEqual([
      `output/abc/owner.json: ${ARN.repo}-abc* reaches ${ARN.repo}-abc-x, a resource of project abc-x`,
      `output/abc/viewer.json: ${ARN.repo}-abc* reaches ${ARN.repo}-abc-x, a resource of project abc-x`,
      `output/abc-x/owner.json: ${ARN.repo}-abc* reaches ${ARN.repo}-abc, a resource of project abc`,
      `output/abc-x/viewer.json: ${ARN.repo}-abc* reaches ${ARN.repo}-abc, a resource of project abc`,
    ]);
  });

  it("warns, without failing, about CodeStar's account-wide service role", () => {
    const problems = isolationCheck([project('abc', `${ARN.repo}-abc`, `${ARN.repo}-*`, 'serviceRole', 'account'), project('abc-x', `${ARN.repo}-abc-x`, `${ARN.repo}-abc-x`)]);
    expect(codes(problems)).toEqual(['warning isolation']);
  });
});

/**
 * The statement checks remember the statements they found clean, by what they read of them. A statement
 * alike in all but one thing they read must still get its findings after a clean one was remembered.
 */
describe('statements found clean before', () => {
  const other = (arn: string) => arn.replace('111111111111', '222222222222');

  it.each([
    ['a resource of another type', statement({ Action: ['lambda:InvokeFunction'], Resource: [ARN.fn] }), statement({ Action: ['lambda:InvokeFunction'], Resource: [ARN.repo] }), 'resource-type-mismatch'],
    ['one resource more, of another type', statement({ Resource: [ARN.repo] }), statement({ Resource: [ARN.repo, ARN.fn] }), 'resource-type-mismatch'],
    ['"*" among its resources', statement({ Action: ['lambda:UpdateFunctionCode'], Resource: [ARN.fn] }), statement({ Action: ['lambda:UpdateFunctionCode'], Resource: [ARN.fn, '*'] }), 'star-resource'],
    ['the accepted foreign policy ARN swapped for another policy', statement({ Action: ['codestar:*'], Resource: [ARN.project, 'arn:aws:iam::111111111111:policy/CodeStar_p_Owner'] }), statement({ Action: ['codestar:*'], Resource: [ARN.project, 'arn:aws:iam::111111111111:policy/Other'] }), 'resource-type-mismatch'],
  ])('still finds the mistake of a statement that differs by %s', (_, clean, broken, code) => {
    expect(codes(statementChecks(target([{ ...clean, Resource: clean.Resource.map(other) }]), context))).toEqual([]);
    expect(codes(statementChecks(target([clean]), context))).toEqual([]);
    expect(codes(statementChecks(target([broken]), context))).toContain(`error ${code}`);
  });

  it("still tells the account-wide service role's star-resource warning from a project policy's error", () => {
    const onStar = statement({ Action: ['codecommit:GitPush'], Resource: ['*'] });
    expect(codes(statementChecks(target([onStar], 'serviceRole', 'account'), context))).toEqual(['warning star-resource']);
    expect(codes(statementChecks(target([onStar], 'serviceRole', 'project'), context))).toEqual(['error star-resource']);
  });
});

describe('a statement found clean in the account-wide service role', () => {
  it('is checked anew in a project policy, where every resource must be taken by an action', () => {
    const loose = statement({ Resource: [ARN.repo, ARN.fn] });
    expect(codes(statementChecks(target([loose], 'serviceRole', 'account'), context))).toEqual([]);
    expect(codes(statementChecks(target([loose], 'serviceRole', 'project'), context))).toEqual(['error resource-type-mismatch']);
  });
});
