import { PolicyDocument } from '../../src/index';
import { expand } from '../support/iam-oracle';
import { fixturePolicies, sampleArn } from '../support/policies';
import { allows } from '../support/simulate';

/**
 * Viewer within Contributor within Owner, on the real policies: every (action, resource) request that
 * the smaller role allows, the larger allows too. Requests are every action each policy names
 * (wildcards expanded with IAM data) against every resource the project's policies name, with iam-simulate
 * deciding.
 */
const cases = fixturePolicies().filter((c) => ['every-type', 'my-first-projec', 'lambda-app'].includes(c.name));

async function requests(doc: PolicyDocument, arns: string[]): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for (const statement of doc.Statement) {
    for (const pattern of statement.Action) {
      for (const { action } of await expand(pattern)) {
        const service = action.split(':')[0];
        const targets = statement.Resource.includes('*') ? ['*'] : arns.filter((arn) => arn.split(':')[2] === service || (service === 'ec2-instance-connect' && arn.split(':')[2] === 'ec2'));
        for (const arn of targets) out.push([action, arn]);
      }
    }
  }
  return out;
}

async function counterExample(smaller: PolicyDocument, larger: PolicyDocument, arns: string[], account: string, context: Record<string, string>) {
  for (const [action, arn] of await requests(smaller, arns)) {
    if ((await allows(smaller, action, arn, account, context)) && !(await allows(larger, action, arn, account, context))) return `${action} on ${arn}`;
  }
  return undefined;
}

describe.each(cases)('the roles of $name', ({ documents, account }) => {
  const arns = [
    ...new Set(
      Object.values(documents)
        .flatMap((d) => d.Statement.flatMap((s) => s.Resource))
        .filter((r) => r !== '*')
        .map(sampleArn),
    ),
  ];
  const context = { 'iam:PassedToService': 'lambda.amazonaws.com' };

  it('Viewer allows nothing that Contributor does not', async () => {
    expect(await counterExample(documents.viewer, documents.contributor, arns, account, context)).toBeUndefined();
  });

  it('Contributor allows nothing that Owner does not', async () => {
    expect(await counterExample(documents.contributor, documents.owner, arns, account, context)).toBeUndefined();
  });

  it('the check can fail: Owner is not within Viewer', async () => {
    expect(await counterExample(documents.owner, documents.viewer, arns, account, context)).toBeDefined();
  });
});
