import * as fs from 'fs';
import * as path from 'path';
import { PolicyDocument, Statement } from '../../src/index';
import { expand } from '../support/iam-oracle';
import { FIXTURES, generateYaml, projectYaml } from '../support/fixtures';
import { fixturePolicies, sampleArn } from '../support/policies';
import { allows, decide } from '../support/simulate';

interface SeedStatement {
  Sid: string;
  Effect: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}
const seed: { Statement: SeedStatement[] } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'seed', 'aws-codestar-service-role.json'), 'utf8'));
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const sorted = (v: string[]) => [...v].sort();

function accountScope(account = '111111111111', region = 'us-east-2'): PolicyDocument {
  const result = generateYaml({ 'svc.yaml': projectYaml('svc', 'serviceRole:\n  scope: account\n', account, region) });
  return result.projects[0].documents.serviceRole;
}

describe('serviceRole scope: account', () => {
  const generated = accountScope();

  it("reproduces the seed's aws-codestar-service-role statement for statement, plus ProjectConnections", () => {
    expect(sorted(generated.Statement.map((s) => s.Sid))).toEqual(sorted([...seed.Statement.map((s) => s.Sid), 'ProjectConnections']));
    for (const expected of seed.Statement) {
      const actual = generated.Statement.find((s) => s.Sid === expected.Sid) as Statement;
      const fixedActions = expected.Action.map((a) => (a === 'cloud9:DeleteEnvironmentEC2' ? 'cloud9:DeleteEnvironment' : a));
      expect(actual.Effect).toBe(expected.Effect);
      expect(sorted(actual.Action)).toEqual(sorted(fixedActions));
      expect(sorted(actual.Resource)).toEqual(sorted(list(expected.Resource)));
      const condition = expected.Condition && Object.fromEntries(Object.entries(expected.Condition).map(([op, keys]) => [op, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, list(v)]))]));
      expect(actual.Condition).toEqual(condition);
    }
  });

  it('adds UseConnection on the account\'s connections, which CodeConnections pipelines need (seed 000) and CodeStar predates', () => {
    expect(generated.Statement.find((s) => s.Sid === 'ProjectConnections')).toEqual({
      Sid: 'ProjectConnections',
      Effect: 'Allow',
      Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
      Resource: ['arn:aws:codeconnections:*:*:connection/*', 'arn:aws:codestar-connections:*:*:connection/*'],
    });
  });

  it('corrects the one action of the seed that IAM does not have: cloud9:DeleteEnvironmentEC2', async () => {
    expect(await expand('cloud9:DeleteEnvironmentEC2')).toEqual([]);
    expect(await expand('cloud9:DeleteEnvironment')).toHaveLength(1);
    expect(generated.Statement.find((s) => s.Sid === 'ProjectServices')?.Action).toContain('cloud9:DeleteEnvironment');
  });

  it("follows the project's partition", () => {
    const china = JSON.stringify(accountScope('666666666666', 'cn-north-1'));
    expect(china).not.toContain('arn:aws:');
    expect(china).toContain('arn:aws-cn:s3:::aws-codestar-*');
  });
});

describe('serviceRole scope: project', () => {
  const cases = fixturePolicies().filter((c) => !['account-scope', 'govcloud-app'].includes(c.name));

  it.each(cases.map((c) => [c.name, c] as const))('%s: grants nothing that the account-wide policy does not', async (_, c) => {
    const region = c.resourceArns.map((a) => a.split(':')[3]).find((r) => r) ?? 'us-east-2';
    const wide = accountScope(c.account, region);
    let checked = 0;
    for (const statement of c.documents.serviceRole.Statement) {
      const context: Record<string, string> = {};
      for (const keys of Object.values(statement.Condition ?? {})) for (const [k, v] of Object.entries(keys)) context[k] = sampleArn(String(v[0]));
      for (const pattern of statement.Action) {
        for (const { action } of await expand(pattern)) {
          for (const resource of statement.Resource.map(sampleArn)) {
            if ((await decide(c.documents.serviceRole, action, resource, c.account, context)) !== 'allowed') continue;
            checked++;
            expect([action, resource, await decide(wide, action, resource, c.account, context)]).toEqual([action, resource, 'allowed']);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('still lets the service run the project: update its stacks, write its artifacts, run its pipeline, pass its worker roles', async () => {
    const c = cases.find((x) => x.name === 'my-first-projec');
    const policy = c!.documents.serviceRole;
    const a = (action: string, resource: string) => allows(policy, action, resource, '111111111111');
    expect(await a('cloudformation:UpdateStack', 'arn:aws:cloudformation:us-east-2:111111111111:stack/awscodestar-my-first-projec-lambda/1a2b')).toBe(true);
    expect(await a('s3:PutObject', 'arn:aws:s3:::aws-codestar-us-east-2-111111111111-my-first-projec-pipe/artifact.zip')).toBe(true);
    expect(await a('codepipeline:StartPipelineExecution', 'arn:aws:codepipeline:us-east-2:111111111111:my-first-projec-Pipeline')).toBe(true);
    expect(await a('iam:PassRole', 'arn:aws:iam::111111111111:role/CodeStarWorker-my-first-projec-Lambda')).toBe(true);
    expect(await a('iam:PassRole', 'arn:aws:iam::111111111111:role/CodeStarWorker-other-project-Lambda')).toBe(false);
    expect(await a('codebuild:StartBuild', 'arn:aws:codebuild:us-east-2:111111111111:project/other')).toBe(false);
  });

  it("cannot rewrite its own policy: CodeStarServiceRole_<id> is outside the seed's policy/CodeStar_*", async () => {
    const wide = accountScope();
    const ownPolicy = 'arn:aws:iam::111111111111:policy/CodeStarServiceRole_svc';
    expect(await allows(wide, 'iam:CreatePolicyVersion', ownPolicy, '111111111111')).toBe(false);
    expect(await allows(wide, 'iam:CreatePolicyVersion', 'arn:aws:iam::111111111111:policy/CodeStar_svc_Owner', '111111111111')).toBe(true);
  });

  it('warns, and grants nothing, for a resource that the account-wide policy does not reach either', () => {
    const result = generateYaml({ 'svc.yaml': projectYaml('svc', 'resources:\n  - type: s3-bucket\n    name: my-own-bucket\n') });
    expect(result.files.size).toBe(5);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'service-role-outside-scope',
        severity: 'warning',
        message: expect.stringContaining('does not get s3:* on arn:aws:s3:::my-own-bucket'),
      }),
      expect.objectContaining({ code: 'service-role-outside-scope', message: expect.stringContaining('arn:aws:s3:::my-own-bucket/*') }),
    ]);
    expect(result.files.get('svc/service-role.json')).not.toContain('my-own-bucket');
    expect(result.files.get('svc/owner.json')).toContain('arn:aws:s3:::my-own-bucket');
  });
});
