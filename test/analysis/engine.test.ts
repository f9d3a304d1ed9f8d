import fc from 'fast-check';
import { evaluate } from '../../src/analysis/evaluate';
import { iamData } from '../../src/analysis/iam-catalog';
import { expandAction, resourceMatches } from '../../src/analysis/match';
import { resourceTypesOf, typesByIntersection } from '../../src/analysis/resource-types';

const catalog = iamData();
const names = (pattern: string) => expandAction(pattern, catalog).map((a) => a.action);

describe('the IAM catalogue', () => {
  it('reads a service lazily, with access levels, resource types and wildcard-only actions', () => {
    const list = catalog.actions('codestar')!.find((a) => a.action === 'codestar:ListProjects');
    expect(list).toEqual({ action: 'codestar:ListProjects', levels: ['List'], resourceTypes: [], wildcardOnly: true });
    const pass = catalog.actions('IAM')!.find((a) => a.action === 'iam:PassRole');
    expect(pass?.resourceTypes).toEqual([{ name: 'role', required: true }]);
    expect(catalog.actions('codestar')!.find((a) => a.action === 'codestar:DeleteProject')?.levels).toEqual(['Permissions management', 'Write']);
  });

  it('knows no such service', () => {
    expect(catalog.actions('nosuchservice')).toBeUndefined();
    expect(catalog.actions('../etc')).toBeUndefined();
  });

  it('gives the ARN formats of resource types', () => {
    expect(catalog.resourceTypes('codebuild')!.find((t) => t.name === 'codebuild:project')?.arns).toEqual(['arn:${Partition}:codebuild:${Region}:${Account}:project/${ProjectName}']);
  });

  it('names its version', () => {
    expect(catalog.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('expandAction', () => {
  it('matches case-insensitively, with * and ?', () => {
    expect(names('CODESTAR:list*')).toEqual(expect.arrayContaining(['codestar:ListProjects', 'codestar:ListTeamMembers']));
    expect(names('codestar:*UserProfile').sort()).toEqual(['codestar:CreateUserProfile', 'codestar:DeleteUserProfile', 'codestar:DescribeUserProfile', 'codestar:UpdateUserProfile']);
    expect(names('codebuild:?tartBuild')).toEqual(['codebuild:StartBuild']);
  });

  it('matches nothing for an unknown action or service', () => {
    expect(names('codebuild:Nope*')).toEqual([]);
    expect(names('nosuch:Get*')).toEqual([]);
  });
});

describe('resourceMatches', () => {
  it('is case-sensitive, and * spans / and :', () => {
    expect(resourceMatches('arn:aws:s3:::b/*', 'arn:aws:s3:::b/x/y:z')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::B', 'arn:aws:s3:::b')).toBe(false);
  });

  it('matches ? as one character', () => {
    expect(resourceMatches('arn:aws:s3:::b?', 'arn:aws:s3:::b1')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::b?', 'arn:aws:s3:::b12')).toBe(false);
  });

  it('substitutes policy variables from the request, and matches nothing without a value', () => {
    const pattern = 'arn:aws:iam::111111111111:user/${aws:username}';
    expect(resourceMatches(pattern, 'arn:aws:iam::111111111111:user/alice', { 'aws:username': 'alice' })).toBe(true);
    expect(resourceMatches(pattern, 'arn:aws:iam::111111111111:user/bob', { 'aws:username': 'alice' })).toBe(false);
    expect(resourceMatches(pattern, 'arn:aws:iam::111111111111:user/alice')).toBe(false);
  });

  it("reads a variable's value literally: a * in a user name is no wildcard", () => {
    expect(resourceMatches('arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::b/anything', { 'aws:username': '*' })).toBe(false);
  });

  it('reads ${*}, ${?} and ${$} as the literal characters', () => {
    expect(resourceMatches('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/*')).toBe(true);
    expect(resourceMatches('arn:aws:s3:::b/${*}', 'arn:aws:s3:::b/x')).toBe(false);
    expect(resourceMatches('arn:aws:s3:::b/${?}${$}', 'arn:aws:s3:::b/?$')).toBe(true);
  });
});

describe('evaluate', () => {
  const arn = 'arn:aws:codebuild:us-east-2:111111111111:project/p';
  const allow = { Effect: 'Allow' as const, Action: ['codebuild:*'], Resource: [arn] };

  it('allows what an Allow statement matches, and nothing else', () => {
    expect(evaluate({ Statement: [allow] }, { action: 'codebuild:StartBuild', resource: arn })).toBe('allowed');
    expect(evaluate({ Statement: [allow] }, { action: 'codebuild:StartBuild', resource: `${arn}-x` })).toBe('implicitly-denied');
    expect(evaluate({ Statement: [allow] }, { action: 'codecommit:GitPush', resource: arn })).toBe('implicitly-denied');
  });

  it('lets an explicit Deny win', () => {
    const deny = { Effect: 'Deny' as const, Action: 'codebuild:DeleteProject', Resource: '*' };
    expect(evaluate({ Statement: [allow, deny] }, { action: 'codebuild:DeleteProject', resource: arn })).toBe('explicitly-denied');
  });

  it('reads NotAction and NotResource', () => {
    const notAction = { Effect: 'Allow' as const, NotAction: 'codebuild:Delete*', Resource: '*' };
    expect(evaluate({ Statement: [notAction] }, { action: 'codebuild:StartBuild', resource: arn })).toBe('allowed');
    expect(evaluate({ Statement: [notAction] }, { action: 'codebuild:DeleteProject', resource: arn })).toBe('implicitly-denied');
    const notResource = { Effect: 'Allow' as const, Action: '*', NotResource: arn };
    expect(evaluate({ Statement: [notResource] }, { action: 'codebuild:StartBuild', resource: arn })).toBe('implicitly-denied');
  });

  it('applies conditions: a missing key fails a positive test and passes a negated one', () => {
    const pass = { Effect: 'Allow' as const, Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': ['lambda.amazonaws.com'] } } };
    const role = 'arn:aws:iam::111111111111:role/r';
    expect(evaluate({ Statement: [pass] }, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } })).toBe('allowed');
    expect(evaluate({ Statement: [pass] }, { action: 'iam:PassRole', resource: role, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe('implicitly-denied');
    expect(evaluate({ Statement: [pass] }, { action: 'iam:PassRole', resource: role })).toBe('implicitly-denied');
    const negated = { ...pass, Condition: { StringNotEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } };
    expect(evaluate({ Statement: [negated] }, { action: 'iam:PassRole', resource: role })).toBe('allowed');
    const ifExists = { ...pass, Condition: { StringEqualsIfExists: { 'iam:PassedToService': 'x' } } };
    expect(evaluate({ Statement: [ifExists] }, { action: 'iam:PassRole', resource: role })).toBe('allowed');
  });

  it('reads ArnEquals with wildcards, StringLike, Bool and Null', () => {
    const statement = (Condition: Record<string, Record<string, unknown>>) => ({ Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*', Condition }] });
    const r = (context: Record<string, string>) => ({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context });
    expect(evaluate(statement({ ArnEquals: { 'iam:PolicyArn': 'arn:aws:iam::*:policy/CodeStar_*' } }), r({ 'iam:PolicyArn': 'arn:aws:iam::1:policy/CodeStar_p_Owner' }))).toBe('allowed');
    expect(evaluate(statement({ StringLike: { 'iam:AWSServiceName': 'cloud9.*' } }), r({ 'iam:AWSServiceName': 'cloud9.amazonaws.com' }))).toBe('allowed');
    expect(evaluate(statement({ Bool: { 'aws:SecureTransport': false } }), r({ 'aws:SecureTransport': 'false' }))).toBe('allowed');
    expect(evaluate(statement({ Null: { 'aws:TokenIssueTime': 'true' } }), r({}))).toBe('allowed');
    expect(evaluate(statement({ SomeFutureOperator: { k: 'v' } }), r({ k: 'v' }))).toBe('implicitly-denied');
  });
});

describe('resourceTypesOf on a concrete ARN', () => {
  // The fast path (a regular expression per format, looked up by the ARN's service field) must answer
  // as the general intersection does, for every format of the services the templates use and more.
  const services = ['codecommit', 'codepipeline', 'codebuild', 'codedeploy', 'lambda', 'cloudformation', 's3', 'iam', 'cloud9', 'elasticbeanstalk', 'ec2', 'apigateway', 'execute-api', 'codeartifact', 'codeconnections', 'codestar-connections', 'codestar-notifications', 'sns', 'logs', 'codestar', 'ec2-instance-connect'];
  const value = fc.constantFrom('web', 'a-b', 'x/y', 'p:q', '', '123456789012', 'us-east-2', 'aws', 'v1.2');

  it('gives the types of the general answer, for ARNs made from every format', () => {
    const formats = services.flatMap((service) => (catalog.resourceTypes(service) ?? []).flatMap((t) => t.arns));
    fc.assert(
      fc.property(fc.constantFrom(...formats), fc.array(value, { minLength: 8, maxLength: 8 }), fc.constantFrom(...services), (format, values, asked) => {
        let k = 0;
        const arn = format.replace(/\$\{[^}]*\}/g, () => values[k++ % values.length]);
        fc.pre(!/[*?]/.test(arn));
        expect(resourceTypesOf(arn, asked, catalog)).toEqual(typesByIntersection(arn, asked, catalog));
      }),
      { seed: 3, numRuns: 3000 },
    );
  });

  it('gives the types of the general answer for a start and one final *, cut anywhere from such ARNs', () => {
    const formats = services.flatMap((service) => (catalog.resourceTypes(service) ?? []).flatMap((t) => t.arns));
    let typed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...formats), fc.array(value, { minLength: 8, maxLength: 8 }), fc.constantFrom(...services), fc.nat(), fc.constantFrom('', 'x', ':', '/'), (format, values, asked, cut, extra) => {
        let k = 0;
        const arn = format.replace(/\$\{[^}]*\}/g, () => values[k++ % values.length]);
        const pattern = `${arn.slice(0, cut % (arn.length + 1))}${extra}*`;
        fc.pre(!/[*?]/.test(pattern.slice(0, -1)) && !pattern.includes('${'));
        const expected = typesByIntersection(pattern, asked, catalog);
        typed += expected.length > 0 ? 1 : 0;
        expect(resourceTypesOf(pattern, asked, catalog)).toEqual(expected);
      }),
      { seed: 4, numRuns: 3000 },
    );
    expect(typed).toBeGreaterThan(300);
  });

  it('finds the type of an ARN that fits its format', () => {
    expect(resourceTypesOf('arn:aws:lambda:us-east-2:111111111111:function:web', 'lambda', catalog)).toEqual(['function']);
    expect(resourceTypesOf('arn:aws:ec2:us-east-2:111111111111:instance/i-0123', 'ec2-instance-connect', catalog)).toEqual(['instance']);
    expect(resourceTypesOf('arn:aws:lambda:us-east-2:111111111111:function:web', 's3', catalog)).toEqual([]);
  });
});
