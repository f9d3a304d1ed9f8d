import { IamCatalog } from '../analysis/iam-catalog';
import { expandAction } from '../analysis/match';
import { actionActsOn } from '../analysis/resource-types';
import { patternContains } from '../policy/glob';
import { PolicyDocument, Statement } from '../policy/statement';

/** One thing a role may do: an action, on a resource pattern, under a condition. */
export interface Grant {
  action: string;
  resource: string;
  condition?: string;
  service: string;
  levels: string[];
  /** The statement that grants it. */
  sid: string;
  /** The action pattern written in the statement, e.g. `codecommit:Get*` for codecommit:GetBranch. */
  pattern: string;
}

/**
 * Every grant of a role's policy (all its parts), actions expanded with IAM data: each action with each
 * resource it can act on (`codebuild:*` on a project names no grant of `codebuild:ListBuilds`, which
 * takes no resource), or with `*`.
 */
export function grantsOf(docs: PolicyDocument[], catalog: IamCatalog): Grant[] {
  const out: Grant[] = [];

  for (const statement of docs.flatMap((d) => d.Statement)) {
    if (statement.Effect !== 'Allow') continue;
    const condition = statement.Condition ? JSON.stringify(statement.Condition) : undefined;
    for (const pattern of statement.Action) {
      for (const info of expandAction(pattern, catalog)) {
        for (const resource of statement.Resource) {
          if (resource !== '*' && !actionActsOn(info, resource, catalog)) continue;
          out.push({ action: info.action, resource, condition, service: info.action.split(':')[0], levels: info.levels, sid: statement.Sid, pattern });
        }
      }
    }
  }
  return out;
}

/** Does some Allow statement grant this action on (at least) this resource, under no stricter condition? */
export function covered(grant: Grant, statements: readonly Statement[]): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      (s.Condition === undefined || JSON.stringify(s.Condition) === grant.condition) &&
      s.Action.some((p) => patternContains(p, grant.action, { ignoreCase: true })) &&
      s.Resource.some((r) => patternContains(r, grant.resource)),
  );
}

const RISKY_LEVELS = ['Write', 'Permissions management', 'Tagging'];

/** Why a gain deserves a second look: it writes, manages permissions or tags, is on `*`, or passes a role. */
export function riskOf(grant: Grant): string | undefined {
  if (grant.action === 'iam:PassRole') return 'passes a role';
  if (grant.resource === '*') return 'on "*"';
  const level = grant.levels.find((l) => RISKY_LEVELS.includes(l));
  return level && `a ${level} action`;
}
