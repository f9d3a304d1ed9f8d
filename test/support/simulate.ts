import { runSimulation } from '@cloud-copilot/iam-simulate';
import { PolicyDocument } from '../../src/index';

export type Decision = 'allowed' | 'denied' | 'not-applicable';

/**
 * What `policy`, attached to an IAM user, decides for `action` on `resource`, answered by iam-simulate.
 * A request no API can make (a resource of a type the action does not take) is not applicable.
 */
export async function decide(
  policy: PolicyDocument,
  action: string,
  resource: string,
  account: string,
  context: Record<string, string | string[]> = {},
): Promise<Decision> {
  const partition = resource.startsWith('arn:') ? resource.split(':')[1] : 'aws';
  const result = await runSimulation(
    {
      request: {
        principal: `arn:${partition}:iam::${account}:user/tester`,
        action,
        resource: { resource, accountId: account },
        contextVariables: { 'aws:username': 'tester', ...context },
      },
      identityPolicies: [{ name: 'policy', policy }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') return 'not-applicable';
  return result.overallResult === 'Allowed' ? 'allowed' : 'denied';
}

export async function allows(...args: Parameters<typeof decide>): Promise<boolean> {
  return (await decide(...args)) === 'allowed';
}
