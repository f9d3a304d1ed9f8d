import { Problem } from '../../problems';
import { MANAGED_POLICY_SIZE_LIMIT, policySize, Statement } from '../../policy/statement';
import { catalogueMemos, listId, registerMemo } from '../../policy/list-memo';
import { IamCatalog } from '../iam-catalog';
import { expandAction, isEveryAction, resourceMatches } from '../match';
import { finding, LintContext, LintTarget } from './target';

const READ_LEVELS = new Set(['List', 'Read']);
const TEAM_MANAGEMENT = new Set(['codestar:AssociateTeamMember', 'codestar:DisassociateTeamMember', 'codestar:UpdateTeamMember']);

/** The member's own CodeStar user profile: the one place a Viewer may write. */
function isOwnUserProfile(statement: Statement): boolean {
  return statement.Action.every((a) => a.toLowerCase() === 'codestar:*userprofile') && statement.Resource.every((r) => /^arn:[^:]+:iam::\d{12}:user\/\$\{aws:username\}$/.test(r));
}

/** What Viewer and Contributor may not hold. */
export function roleChecks(target: LintTarget, { catalog }: LintContext): Problem[] {
  const out: Problem[] = [];
  if (target.role !== 'viewer' && target.role !== 'contributor') return out;
  for (const statement of target.doc.Statement) {
    if (plainFor(target.role, statement.Action, catalog)) continue;
    for (const pattern of statement.Action) {
      if (isEveryAction(pattern)) {
        out.push(
          target.role === 'viewer'
            ? finding(target, statement, 'viewer-beyond-read', 'error', `Viewer holds "${pattern}": every action, writes among them`, 'Viewer holds only List and Read actions: name them.')
            : finding(target, statement, 'contributor-permissions', 'error', `Contributor holds "${pattern}": every action, Permissions management among them`, 'Name the actions Contributor needs; only Owner manages permissions.'),
        );
        continue;
      }
      for (const info of expandAction(pattern, catalog)) {
        const via = pattern === info.action ? '' : ` (through ${pattern})`;
        if (target.role === 'viewer' && !info.levels.every((l) => READ_LEVELS.has(l)) && !isOwnUserProfile(statement)) {
          out.push(finding(target, statement, 'viewer-beyond-read', 'error', `Viewer holds ${info.action}${via}, a ${info.levels.join(' and ')} action`, 'Viewer holds only List and Read actions: move it to Contributor or Owner.'));
        }
        if (target.role !== 'contributor') continue;
        if (TEAM_MANAGEMENT.has(info.action) || info.action === 'codestar:DeleteProject') {
          out.push(finding(target, statement, 'contributor-team-management', 'error', `Contributor holds ${info.action}${via}: only Owner manages the team and deletes the project`, 'Remove it from the Contributor statements.'));
        } else if (info.levels.includes('Permissions management')) {
          out.push(finding(target, statement, 'contributor-permissions', 'error', `Contributor holds ${info.action}${via}, a Permissions management action`, 'Contributor manages no permissions; only Owner may, and never on the worker roles.'));
        } else if (info.action === 'iam:PassRole' && !statement.Resource.every((r) => target.workerRoles.some((role) => resourceMatches(r, role) && r === role))) {
          out.push(finding(target, statement, 'contributor-permissions', 'error', "Contributor may pass only the project's own worker roles, each named exactly", 'List the iam-role resources of the project, not a pattern.'));
        }
      }
    }
  }
  return out;
}

/** IAM's limit for a managed policy, and a warning before it (not for a part: packing fills parts). */
export function sizeChecks(target: LintTarget, isPart = false): Problem[] {
  const size = policySize(target.doc);
  if (size > MANAGED_POLICY_SIZE_LIMIT) {
    return [finding(target, undefined, 'policy-too-large', 'error', `${size} characters, over IAM's limit of ${MANAGED_POLICY_SIZE_LIMIT} for a managed policy`, 'Split the project or use shorter wildcards that match only what the role may hold.')];
  }
  if (size > MANAGED_POLICY_SIZE_LIMIT * 0.9 && !isPart) {
    return [finding(target, undefined, 'policy-near-limit', 'warning', `${size} characters, ${Math.round((100 * size) / MANAGED_POLICY_SIZE_LIMIT)}% of IAM's limit of ${MANAGED_POLICY_SIZE_LIMIT}`, 'A few more resources will split this policy into parts.')];
  }
  return [];
}

const plain: Record<'viewer' | 'contributor', Map<number, boolean>> = { viewer: new Map(), contributor: new Map() };
registerMemo(plain.viewer, plain.contributor);
const plainOf = catalogueMemos(plain.viewer, plain.contributor);

/**
 * Can a statement with these actions break no rule of the role, whatever its resources? Viewer: every
 * action reads. Contributor: none manages the team, permissions, or passes a role. Known from the
 * action list alone, which templates repeat in every project: most statements are skipped.
 */
function plainFor(role: 'viewer' | 'contributor', actions: string[], catalog: IamCatalog): boolean {
  plainOf(catalog);
  const memo = plain[role];
  const id = listId(actions);
  let found = memo.get(id);
  if (found === undefined) {
    if (memo.size >= 20_000) memo.clear();
    // `*` expands to no action (IAM data lists none such), but holds them all.
    found = actions.every(
      (pattern) =>
        !isEveryAction(pattern) &&
        expandAction(pattern, catalog).every((info) =>
          role === 'viewer'
            ? info.levels.every((l) => READ_LEVELS.has(l))
            : !TEAM_MANAGEMENT.has(info.action) && info.action !== 'codestar:DeleteProject' && !info.levels.includes('Permissions management') && info.action !== 'iam:PassRole',
        ),
    );
    memo.set(id, found);
  }
  return found;
}
