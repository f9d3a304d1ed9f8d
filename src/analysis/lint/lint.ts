import * as path from 'path';
import { Problem } from '../../problems';
import { BuiltProject, partFile, POLICY_FILES } from '../../policy/build-policies';
import { PolicyKey, POLICY_KEYS } from '../../render/render-project';
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
 * What the isolation check needs of a project, and no more, as one compact string: a run holds one
 * for every project until the end (10,000 projects, some 37 MB), and a worker sends it across threads.
 * `reported`: only a run's own projects are reported on; the folder's others (a run on a few) are
 * held apart from them all the same.
 */
export interface IsolationRecord {
  account: string;
  /**
   * JSON of [id, [resource ARN or pattern index...], [[role, scope, [[Sid, [pattern index...]]...]]...],
   * [pattern...]]. Most of a project's ARNs are also patterns of its policies: written once, they take
   * 23% less room (measured over the benchmark's 10,000 projects: 48 MB against 37 MB).
   */
  text: string;
}

type CompactRecord = [string, (string | number)[], [PolicyKey, 'project' | 'account', [string, number[]][]][], string[]];

export function isolationRecord(built: BuiltProject, outDir: string, reported: boolean): IsolationRecord {
  const targets = lintTargets(built, outDir);
  const own = targets.filter((t) => !(t.role === 'serviceRole' && t.scope === 'account'));
  // The cross-account viewer role is the project's too: no other project may reach it.
  const roles = built.crossAccount ? [built.view.crossAccountRoleArn] : [];
  // The roles name mostly the same resources: each pattern is written once and referred to by number.
  const patterns: string[] = [];
  const numbers = new Map<string, number>();
  const number = (pattern: string) => {
    let n = numbers.get(pattern);
    if (n === undefined) numbers.set(pattern, (n = patterns.push(pattern) - 1));
    return n;
  };
  const statements = reported
    ? targets.map((t): CompactRecord[2][number] => [t.role, t.scope, t.doc.Statement.map((s) => [s.Sid, s.Resource.filter((r) => r !== '*').map(number)] as [string, number[]]).filter(([, r]) => r.length > 0)])
    : [];
  const arns = projectArns([...built.project.resources.map((r) => r.arn), ...roles], own).map((arn) => numbers.get(arn) ?? arn);
  const compact: CompactRecord = [built.project.id, arns, statements, patterns];
  return { account: built.project.account, text: JSON.stringify(compact) };
}

/** The isolation check over the records of a run, one account at a time: only one account is ever unpacked. */
export function isolationCheckRecords(records: IsolationRecord[], outDir: string): Problem[] {
  const byAccount = new Map<string, string[]>();
  for (const r of records) {
    const list = byAccount.get(r.account);
    if (list) list.push(r.text);
    else byAccount.set(r.account, [r.text]);
  }
  const out: Problem[] = [];
  for (const [account, texts] of byAccount) {
    if (texts.length < 2) continue;
    out.push(...isolationCheck(texts.map((text) => unpack(account, text, outDir))));
  }
  return out;
}

function unpack(account: string, text: string, outDir: string): IsolationProject {
  const [id, arns, targets, patterns] = JSON.parse(text) as CompactRecord;
  return {
    id,
    account,
    arns: arns.map((arn) => (typeof arn === 'number' ? patterns[arn] : arn)),
    targets: targets.map(([role, scope, statements]) => ({
      projectId: id,
      role,
      scope,
      file: path.join(outDir, id, POLICY_FILES[role]),
      workerRoles: [],
      doc: { Version: '2012-10-17', Statement: statements.map(([Sid, refs]) => ({ Sid, Effect: 'Allow', Action: [], Resource: refs.map((n) => patterns[n]) })) },
    })),
  };
}
