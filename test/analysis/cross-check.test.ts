import { evaluate } from '../../src/analysis/evaluate';
import { iamData } from '../../src/analysis/iam-catalog';
import { expandAction } from '../../src/analysis/match';
import { fixturePolicies, sampleArn } from '../support/policies';
import { decide } from '../support/simulate';

/**
 * Our engine against iam-simulate on the generated policies of every golden case: every action each
 * policy names (expanded), against every ARN the case's policies name, plus ARNs of a neighbouring
 * project. The one documented difference: iam-simulate refuses a request whose resource is not of a
 * type the action takes (no API can make it); our engine evaluates it by pattern, so such requests are
 * left out of the comparison. A request names the resource `*` only for an action that supports no
 * resource-level permission: for iam-simulate, `*` otherwise means "any resource at all".
 */
const catalog = iamData();

describe.each(fixturePolicies())('on the policies of $name', ({ documents, account }) => {
  const arns = [...new Set(Object.values(documents).flatMap((d) => d.Statement.flatMap((s) => s.Resource)).filter((r) => r !== '*').map(sampleArn))];
  const neighbours = arns.map((a) => a.replace(/sample/g, 'other').replace(/([a-z])-(app|projec|type|scope)/, '$1-$2-x'));
  const resources = [...new Set([...arns, ...neighbours])];

  it.each(Object.keys(documents))('the engine and iam-simulate agree on every %s request', async (role) => {
    const policy = documents[role as keyof typeof documents];
    const actions = new Map(policy.Statement.flatMap((s) => s.Action.flatMap((p) => expandAction(p, catalog).map((a) => [a.action, a] as const))));
    let compared = 0;
    const disagreements: string[] = [];
    for (const [action, info] of actions) {
      const service = action.split(':')[0];
      for (const resource of info.wildcardOnly ? ['*'] : resources.filter((r) => r.split(':')[2] === service)) {
        const context = { 'aws:username': 'tester', 'iam:PassedToService': 'lambda.amazonaws.com' };
        const theirs = await decide(policy, action, resource, account, context);
        if (theirs === 'not-applicable') continue;
        compared++;
        const ours = evaluate(policy, { action, resource, context }) === 'allowed' ? 'allowed' : 'denied';
        if (ours !== theirs) disagreements.push(`${action} on ${resource}: ours ${ours}, iam-simulate ${theirs}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThan(20);
  });
});
