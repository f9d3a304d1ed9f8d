import { ActionInfo, ResourceTypeInfo } from './iam-catalog';

/**
 * Where IAM's published data and IAM's behaviour (or CodeStar's own documented policies) part, the
 * difference is written here, once, with its reason. Nothing else in the analysis special-cases a service.
 */

/** Resource types that IAM's data lacks. */
const EXTRA_RESOURCE_TYPES: Record<string, ResourceTypeInfo[]> = {
  // CloudFormation authorizes CreateChangeSet on the macros a template uses, AWS's own included
  // (arn:aws:cloudformation:<region>:aws:transform/Serverless-2016-10-31); the seed's service role grants
  // it on transform/CodeStar*. IAM's data has no transform type.
  cloudformation: [{ name: 'cloudformation:transform', arns: ['arn:${Partition}:cloudformation:${Region}:aws:transform/${TransformName}'] }],
};

/** Resource types that IAM's data does not list for an action. */
const EXTRA_ACTION_RESOURCE_TYPES: Record<string, string[]> = {
  'cloudformation:CreateChangeSet': ['transform'],
};

export function correctedActions(actions: ActionInfo[]): ActionInfo[] {
  return actions.map((a) => {
    const extra = EXTRA_ACTION_RESOURCE_TYPES[a.action];
    return extra ? { ...a, resourceTypes: [...a.resourceTypes, ...extra.map((name) => ({ name, required: false }))] } : a;
  });
}

export function correctedResourceTypes(service: string, types: ResourceTypeInfo[]): ResourceTypeInfo[] {
  return [...types, ...(EXTRA_RESOURCE_TYPES[service] ?? [])];
}

/**
 * Pairings of an action with an ARN of another service that lint accepts although IAM's data lists no
 * such resource type for the action.
 */
export const ACCEPTED_FOREIGN_RESOURCES: { service: string; resource: RegExp; reason: string }[] = [
  {
    service: 'codestar',
    resource: /^arn:[^:]+:iam::[^:]*:policy\/CodeStar_[^/]+_(Owner|Contributor|Viewer)$/,
    reason: "CodeStar's project role policies name the role's own policy next to the project (seed 001, AWS CodeStar Project-Level Policies).",
  },
];
