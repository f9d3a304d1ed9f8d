import * as path from 'path';
import { Problem } from '../../problems';
import { BuiltProject, partFile, POLICY_FILES } from '../../policy/build-policies';
import { POLICY_KEYS } from '../../render/render-project';
import { IamCatalog } from '../iam-catalog';
import { isolationCheck, projectArns } from './isolation';
import { latticeCheck } from './lattice';
import { roleChecks, sizeChecks } from './role-checks';
import { statementChecks } from './statement-checks';
import { LintContext, LintTarget } from './target';

export interface LintOptions {
  catalog: IamCatalog;
  /** The output folder, to name each policy's file in findings. */
  outDir: string;
}

function lintTargets(built: BuiltProject, outDir: string): LintTarget[] {
  const workerRoles = built.project.resources.filter((r) => r.type === 'iam-role').map((r) => r.arn);
  return POLICY_KEYS.map((role) => ({
    projectId: built.project.id,
    role,
    file: path.join(outDir, built.project.id, POLICY_FILES[role]),
    doc: built.documents[role],
    scope: role === 'serviceRole' ? built.project.serviceRoleScope : 'project',
    workerRoles,
  }));
}

/**
 * Every check on the generated policies of `projects`. `neighbours` are the other projects of the
 * folder: isolation holds `projects` apart from them too, but only `projects` are reported on.
 */
export function lintProjects(projects: BuiltProject[], neighbours: BuiltProject[], options: LintOptions): Problem[] {
  const context: LintContext = { catalog: options.catalog };
  const out: Problem[] = [];
  const isolation = [];
  for (const built of [...projects, ...neighbours]) {
    const targets = lintTargets(built, options.outDir);
    const reported = projects.includes(built);
    const own = targets.filter((t) => !(t.role === 'serviceRole' && t.scope === 'account'));
    // The cross-account viewer role is the project's too: no other project may reach it.
    const roles = built.crossAccount ? [built.view.crossAccountRoleArn] : [];
    isolation.push({ id: built.project.id, account: built.project.account, targets: reported ? targets : [], arns: projectArns([...built.project.resources.map((r) => r.arn), ...roles], own) });
    if (!reported) continue;
    for (const target of targets) {
      out.push(...statementChecks(target, context), ...roleChecks(target, context));
      // Size is IAM's limit on each managed policy as written: each part.
      const parts = built.parts[target.role];
      parts.forEach((doc, i) => out.push(...sizeChecks({ ...target, doc, file: path.join(options.outDir, built.project.id, partFile(target.role, i + 1)) }, parts.length > 1)));
    }
    const [owner, contributor, viewer] = targets;
    out.push(...latticeCheck({ owner, contributor, viewer }, built.project.resources.map((r) => r.arn), context));
  }
  out.push(...isolationCheck(isolation));
  return out;
}
