import { Project, ProjectRole, PROJECT_ROLES, ResolvedResource } from '../model/project';
import { ResourceType } from '../resources/resource-type';
import { jsonEscapeDeep } from './handlebars-env';

/** What every template sees as `project`. Everything a template needs is decided here, never in the template. */
export interface ProjectView {
  id: string;
  name: string | null;
  region: string;
  account: string;
  partition: string;
  /** The CodeStar project ARN, which the codestar:* statements name. */
  arn: string;
  policyNames: Record<ProjectRole | 'serviceRole', string>;
  policyArns: Record<ProjectRole | 'serviceRole', string>;
  /** Service principals that run with the project's worker roles, from the types present. */
  passRoleServices: string[];
  /** IAM users of the team, by name and ARN. */
  teamUsers: string[];
  teamUserArns: string[];
  /** Resource types present in the project. */
  types: string[];
  /** Team principals (users and federated roles) that may read: every member; that may publish: Contributor and Owner. */
  readers: string[];
  publishers: string[];
  /** The cross-account viewer role and the accounts that may assume it (none: no role). */
  crossAccountViewers: string[];
  crossAccountRoleName: string;
  crossAccountRoleArn: string;
}

const ROLE_TITLES: Record<ProjectRole, string> = { owner: 'Owner', contributor: 'Contributor', viewer: 'Viewer' };

/**
 * `CodeStar_<id>_Owner` and so on, as CodeStar named them. The service role's own policy is named
 * `CodeStarServiceRole_<id>` so that it stays outside `policy/CodeStar_*`, which the account-wide
 * service role may rewrite: a role that could rewrite its own policy could grant itself anything.
 */
function policyName(projectId: string, role: ProjectRole | 'serviceRole'): string {
  return role === 'serviceRole' ? `CodeStarServiceRole_${projectId}` : `CodeStar_${projectId}_${ROLE_TITLES[role]}`;
}

export function projectView(project: Project, types: ReadonlyMap<string, ResourceType>): ProjectView {
  const iam = `arn:${project.partition}:iam::${project.account}`;
  const roles = [...PROJECT_ROLES, 'serviceRole'] as const;
  const present = [...new Set(project.resources.map((r) => r.type))].sort();
  const users = project.team.filter((m) => m.kind === 'user').map((m) => m.name);
  return {
    id: project.id,
    name: project.name,
    region: project.region,
    account: project.account,
    partition: project.partition,
    arn: `arn:${project.partition}:codestar:${project.region}:${project.account}:project/${project.id}`,
    policyNames: Object.fromEntries(roles.map((r) => [r, policyName(project.id, r)])) as ProjectView['policyNames'],
    policyArns: Object.fromEntries(roles.map((r) => [r, `${iam}:policy/${policyName(project.id, r)}`])) as ProjectView['policyArns'],
    passRoleServices: [...new Set(present.flatMap((t) => types.get(t)?.passRoleTo ?? []))].sort(),
    teamUsers: users,
    teamUserArns: users.map((u) => `${iam}:user/${u}`),
    types: present,
    readers: principals(project, iam, ['owner', 'contributor', 'viewer']),
    publishers: principals(project, iam, ['owner', 'contributor']),
    crossAccountViewers: project.crossAccountViewers,
    crossAccountRoleName: crossAccountRoleName(project.id),
    crossAccountRoleArn: `${iam}:role/${crossAccountRoleName(project.id)}`,
  };
}

/** The role that other accounts assume to view the project (seed 002's CrossAccountPipelineViewers). */
export function crossAccountRoleName(projectId: string): string {
  return `CodeStar-${projectId}-CrossAccountViewer`;
}

function principals(project: Project, iam: string, roles: ProjectRole[]): string[] {
  return project.team
    .filter((m) => roles.includes(m.role))
    .map((m) => `${iam}:${m.kind === 'user' ? 'user' : 'role'}/${m.name}`)
    .sort();
}

/** The context of a resource template: the resource's fields, its ARN, and the project. Escaped for JSON. */
export function resourceContext(resource: ResolvedResource, project: ProjectView): unknown {
  return { ...jsonEscapeDeep({ ...resource.fields, arn: resource.arn }), project: escapedView(project) };
}

export function projectContext(project: ProjectView): unknown {
  return { project: escapedView(project) };
}

// A project's view is escaped once, however many templates read it. Never changed after it is made.
const escaped = new WeakMap<ProjectView, ProjectView>();

function escapedView(view: ProjectView): ProjectView {
  let found = escaped.get(view);
  if (!found) escaped.set(view, (found = jsonEscapeDeep(view)));
  return found;
}
