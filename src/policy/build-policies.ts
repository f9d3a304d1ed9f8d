import { Problem } from '../problems';
import { Project, ProjectRole } from '../model/project';
import { CrossAccountPolicies, POLICY_KEYS, PolicyKey, renderAccountServiceRole, renderCrossAccount, renderProject, ResourcePolicy } from '../render/render-project';
import { TemplateSet } from '../render/templates';
import { ProjectView } from '../render/view-model';
import { narrowToScope } from './narrow-to-scope';
import { canonical, normalise } from './normalise';
import { MAX_PARTS, pack } from './pack';
import { MANAGED_POLICY_SIZE_LIMIT, PolicyDocument, policySize, Statement } from './statement';

export const POLICY_FILES: Record<PolicyKey, string> = {
  owner: 'owner.json',
  contributor: 'contributor.json',
  viewer: 'viewer.json',
  serviceRole: 'service-role.json',
};

/** `owner.json`, then `owner-2.json`, `owner-3.json`... for a policy packed into parts. */
export function partFile(role: PolicyKey, part: number): string {
  return part === 1 ? POLICY_FILES[role] : POLICY_FILES[role].replace(/\.json$/, `-${part}.json`);
}

export interface BuiltProject {
  project: Project;
  view: ProjectView;
  /** Each role's whole policy, as the checks see it. */
  documents: Record<PolicyKey, PolicyDocument>;
  /** Each role's policy as written: one part, or several within IAM's size limit. */
  parts: Record<PolicyKey, PolicyDocument[]>;
  /** Resource-based policies for the project's resources, written under resource-policies/. */
  resourcePolicies: ResourcePolicy[];
  /** The cross-account viewer role's policies, written under cross-account/, when the project has viewers. */
  crossAccount?: CrossAccountPolicies;
}

/** One project's four policy documents, normalised and measured. */
export function buildPolicies(project: Project, templates: TemplateSet): { built?: BuiltProject; problems: Problem[] } {
  const rendered = renderProject(project, templates);
  const account = renderAccountServiceRole(project, templates, rendered.view);
  const crossAccount = renderCrossAccount(project, templates, rendered.view);
  const problems = [...rendered.problems, ...account.problems, ...crossAccount.problems];
  if (problems.length > 0) return { problems };

  const accountDoc = accountPolicy(account.statements, account.key);
  let serviceRole = accountDoc;
  if (project.serviceRoleScope === 'project') {
    const narrowed = narrowToScope(rendered.statements.serviceRole.map(canonical), accountDoc);
    serviceRole = normalise(narrowed.statements);
    for (const lost of narrowed.dropped) {
      problems.push({
        code: 'service-role-outside-scope',
        severity: 'warning',
        message: `project ${project.id}: the service role does not get ${lost.actions.join(', ')} on ${lost.resource} (statement ${lost.sid}): the account-wide service role policy does not allow it either`,
        hint: "Name the resource as CodeStar did (for example a bucket aws-codestar-*, a role CodeStarWorker*), or grant it in a policy of your own.",
        file: project.file,
        ...project.source.locate(['serviceRole']),
      });
    }
  }
  const documents: Record<PolicyKey, PolicyDocument> = {
    owner: normalise(rendered.statements.owner),
    contributor: normalise(rendered.statements.contributor),
    viewer: normalise(rendered.statements.viewer),
    serviceRole,
  };
  const parts = Object.fromEntries(POLICY_KEYS.map((k) => [k, pack(documents[k])])) as Record<PolicyKey, PolicyDocument[]>;
  for (const k of POLICY_KEYS) {
    if (parts[k].length > MAX_PARTS) {
      problems.push({
        code: 'too-many-parts',
        severity: 'error',
        message: `project ${project.id}: the ${k} policy needs ${parts[k].length} managed policies of ${MANAGED_POLICY_SIZE_LIMIT} characters, over IAM's default quota of ${MAX_PARTS} per user or role`,
        hint: 'Split the project into smaller projects, or raise the quota with AWS and the limit here.',
        file: project.file,
        ...project.source.locate(['id']),
        path: 'id',
      });
    }
  }
  return { built: { project, view: rendered.view, documents, parts, resourcePolicies: rendered.resourcePolicies, crossAccount: crossAccount.policies }, problems };
}

// The account-wide policy renders the same for most projects of a run (as shipped, it reads only the
// partition): normalised once per rendering. The document is shared, and never changed.
const accountPolicies = new Map<string, PolicyDocument>();

function accountPolicy(statements: Statement[], key: string | undefined): PolicyDocument {
  if (key === undefined) return normalise(statements);
  let doc = accountPolicies.get(key);
  if (!doc) {
    if (accountPolicies.size >= 100) accountPolicies.clear();
    accountPolicies.set(key, (doc = normalise(statements)));
  }
  return doc;
}

/**
 * Who gets a role's policy: the team's IAM users and federated roles of that role, and, for Viewer, the
 * cross-account viewer role. The manifest and every deployable format take it from here.
 */
export function attachedTo(built: BuiltProject, role: ProjectRole): { users: string[]; iamRoles: string[] } {
  const names = (kind: 'user' | 'iamRole') => built.project.team.filter((m) => m.role === role && m.kind === kind).map((m) => m.name);
  const crossAccount = role === 'viewer' && built.crossAccount ? [built.view.crossAccountRoleName] : [];
  return { users: names('user').sort(), iamRoles: [...names('iamRole'), ...crossAccount].sort() };
}

/** The manifest: policy names, who gets which policy, and each policy's size against IAM's limit. */
export function manifest(built: BuiltProject, iamDataVersion: string): unknown {
  const { project, view } = built;
  return {
    project: project.id,
    name: project.name,
    partition: project.partition,
    region: project.region,
    account: project.account,
    // The IAM data the checks ran with: a diff keeps what a new version changes apart.
    iamData: iamDataVersion,
    policies: POLICY_KEYS.flatMap((k) =>
      built.parts[k].map((doc, i) => ({
        role: k,
        part: i + 1,
        name: i === 0 ? view.policyNames[k] : `${view.policyNames[k]}_${i + 1}`,
        file: partFile(k, i + 1),
        size: policySize(doc),
        sizeLimit: MANAGED_POLICY_SIZE_LIMIT,
        ...(k === 'serviceRole' ? { scope: project.serviceRoleScope } : { attachTo: attachedTo(built, k) }),
      })),
    ),
    team: [...project.team]
      .sort((a, b) => a.kind.localeCompare(b.kind) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((m) => ({ [m.kind]: m.name, role: m.role, policy: view.policyNames[m.role] })),
    ...(built.crossAccount ? { crossAccountViewer: { role: view.crossAccountRoleName, trustedAccounts: project.crossAccountViewers, policy: view.policyNames.viewer } } : {}),
    resources: [...project.resources]
      .map((r) => ({ type: r.type, arn: r.arn }))
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : a.type < b.type ? -1 : 1)),
  };
}
