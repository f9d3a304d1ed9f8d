import { runSimulation } from '@cloud-copilot/iam-simulate';
import { PolicyDocument } from '../../src/index';

/** Does `policy`, attached to user `username`, allow `action` on `resource`? Answered by iam-simulate. */
export async function allows(
  policy: PolicyDocument,
  action: string,
  resource: string,
  account: string,
  context: Record<string, string | string[]> = {},
): Promise<boolean> {
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
  return result.overallResult === 'Allowed';
}
