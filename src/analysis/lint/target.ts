import { Problem, Severity } from '../../problems';
import { PolicyKey } from '../../render/render-project';
import { PolicyDocument, Statement } from '../../policy/statement';
import { IamCatalog } from '../iam-catalog';

/** One generated policy document under lint. */
export interface LintTarget {
  projectId: string;
  role: PolicyKey;
  /** Where the policy is (or would be) written, e.g. `output/abc/viewer.json`. */
  file: string;
  doc: PolicyDocument;
  /** The service role's scope; `account` is CodeStar's own policy, reproduced on purpose. */
  scope: 'project' | 'account';
  /** The project's IAM worker roles, the only roles Contributor may pass. */
  workerRoles: string[];
}

export interface LintContext {
  catalog: IamCatalog;
}

export function finding(target: LintTarget, statement: Statement | undefined, code: string, severity: Severity, message: string, hint: string): Problem {
  return { code, severity, message, hint, policy: target.file, sid: statement?.Sid };
}
