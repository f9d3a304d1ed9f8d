import { YamlSource } from './yaml-source';

export type ProjectRole = 'owner' | 'contributor' | 'viewer';
export const PROJECT_ROLES: readonly ProjectRole[] = ['owner', 'contributor', 'viewer'];

export interface TeamMember {
  /** An IAM user gets the policy attached; an IAM role is one that federated users assume. */
  kind: 'user' | 'iamRole';
  name: string;
  role: ProjectRole;
}

export type FieldValue = string | boolean | null;

/** A resource entry, resolved to its type and canonical ARN whichever form it was written in. */
export interface ResolvedResource {
  type: string;
  fields: Record<string, FieldValue>;
  arn: string;
  /** Position in the project's `resources` list. */
  index: number;
}

export interface Project {
  file: string;
  id: string;
  name: string | null;
  region: string;
  account: string;
  partition: string;
  team: TeamMember[];
  serviceRoleScope: 'project' | 'account';
  /** Accounts whose principals may assume a role that holds the Viewer policy (seed 002). */
  crossAccountViewers: string[];
  resources: ResolvedResource[];
  source: YamlSource;
}
