import * as path from 'path';
import { Problem } from '../../problems';
import { BuiltProject, partFile, POLICY_FILES } from '../../policy/build-policies';
import { POLICY_KEYS } from '../../render/render-project';
import { IamCatalog } from '../iam-catalog';
import { isolationCheck, IsolationProject, projectArns } from './isolation';
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

/** Every check on one project's generated policies but isolation, which needs the other projects. */
export function lintProject(built: BuiltProject, options: LintOptions): Problem[] {
  const context: LintContext = { catalog: options.catalog };
  const out: Problem[] = [];
  const targets = lintTargets(built, options.outDir);
  for (const target of targets) {
    out.push(...statementChecks(target, context), ...roleChecks(target, context));
    // Size is IAM's limit on each managed policy as written: each part.
    const parts = built.parts[target.role];
    parts.forEach((doc, i) => out.push(...sizeChecks({ ...target, doc, file: path.join(options.outDir, built.project.id, partFile(target.role, i + 1)) }, parts.length > 1)));
  }
  const [owner, contributor, viewer] = targets;
  out.push(...latticeCheck({ owner, contributor, viewer }, built.project.resources.map((r) => r.arn), context));
  return out;
}

/**
 * What the isolation check needs of a project, and no more: it crosses to the main thread from a worker
 * and is held for every project of a run. `reported`: only a run's own projects are reported on; the
 * folder's others (a run on a few) are held apart from them all the same.
 */
export function isolationRecord(built: BuiltProject, outDir: string, reported: boolean): IsolationProject {
  const targets = lintTargets(built, outDir);
  const own = targets.filter((t) => !(t.role === 'serviceRole' && t.scope === 'account'));
  // The cross-account viewer role is the project's too: no other project may reach it.
  const roles = built.crossAccount ? [built.view.crossAccountRoleArn] : [];
  const slim = (t: LintTarget): LintTarget => ({
    ...t,
    workerRoles: [],
    doc: { Version: t.doc.Version, Statement: t.doc.Statement.map((s) => ({ Sid: s.Sid, Effect: s.Effect, Action: [], Resource: s.Resource.filter((r) => r !== '*') })) },
  });
  return {
    id: built.project.id,
    account: built.project.account,
    targets: reported ? targets.map(slim) : [],
    arns: projectArns([...built.project.resources.map((r) => r.arn), ...roles], own),
  };
}

export { isolationCheck, IsolationProject };
