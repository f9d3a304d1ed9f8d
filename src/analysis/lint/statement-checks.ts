import { Problem } from '../../problems';
import { patternContains } from '../../policy/glob';
import { PatternIndex } from '../../policy/pattern-index';
import { catalogueMemos, listId, memo2, PairMemo, registerMemo } from '../../policy/list-memo';
import { Statement } from '../../policy/statement';
import { ACCEPTED_FOREIGN_RESOURCES } from '../corrections';
import { ActionInfo, IamCatalog } from '../iam-catalog';
import { expandAction, hasWildcardService, isEveryAction, isServiceWildcard, namedServices } from '../match';
import { actionTakes, resourceTypesOf } from '../resource-types';
import { finding, LintContext, LintTarget } from './target';

const isWildcard = (action: string) => /[*?]/.test(action);

/** Checks that hold for any policy: actions exist, fit their resources, and nothing is said twice. */
export function statementChecks(target: LintTarget, context: LintContext): Problem[] {
  const out: Problem[] = [];
  const sids = new Set<string>();
  for (const statement of target.doc.Statement) {
    if (sids.has(statement.Sid)) out.push(finding(target, statement, 'duplicate-sid', 'error', `Sid ${statement.Sid} is used twice`, 'Give each statement its own Sid.'));
    sids.add(statement.Sid);
    out.push(...actionChecks(target, statement, context), ...redundantActions(target, statement));
  }
  out.push(...redundantStatements(target));
  return out;
}

function actionChecks(target: LintTarget, statement: Statement, context: LintContext): Problem[] {
  // What the checks read of a statement: its actions, whether it is on "*", the policy's scope, and of
  // each resource only its types for each service of the actions, and whether a correction accepts it
  // there. Statements alike in all that get the same findings: most have none, known after the first.
  const key = checkedShape(statement, target.scope, context.catalog);
  if (key !== undefined && cleanShapes.has(key)) return [];
  const out = actionFindings(target, statement, context);
  if (key !== undefined && out.length === 0) {
    if (cleanShapes.size >= 20_000) cleanShapes.clear();
    cleanShapes.add(key);
  }
  return out;
}

const cleanShapes = new Set<string>();
registerMemo(cleanShapes);
const shapesOf = catalogueMemos(cleanShapes);

/** The statement's key for the memo of clean statements; undefined when it has none. */
function checkedShape(statement: Statement, scope: string, catalog: IamCatalog): string | undefined {
  shapesOf(catalog);
  // A wildcard in a service's name: the actions may be of any service, too many to key by.
  const services = namedServices(statement.Action);
  if (services.some(isServiceWildcard)) return undefined;
  let key = `${listId(statement.Action)}|${statement.Resource.includes('*')}|${scope}`;
  for (const arn of statement.Resource) {
    if (arn === '*') continue;
    key += '|';
    for (const service of services) key += `${resourceTypesOf(arn, service, catalog).join(',')}${acceptedForeign(service, arn) ? '!' : ''};`;
  }
  return key;
}

function actionFindings(target: LintTarget, statement: Statement, { catalog }: LintContext): Problem[] {
  const out: Problem[] = [];
  const onStar = statement.Resource.includes('*');
  const arns = statement.Resource.filter((r) => r !== '*');
  // Each ARN's resource types, looked up once per service of the statement, not once per action.
  const typesByService = new Map<string, string[][]>();
  const typesOf = (service: string) => {
    let types = typesByService.get(service);
    if (!types) typesByService.set(service, (types = arns.map((arn) => resourceTypesOf(arn, service, catalog))));
    return types;
  };
  const accepts = (info: ActionInfo, k: number) => {
    const service = info.action.slice(0, info.action.indexOf(':'));
    return actionTakes(info, typesOf(service)[k]) || acceptedForeign(service, arns[k]);
  };
  const expanded: ActionInfo[] = [];
  // False once "*" or a wildcard service is among the actions: the statement has its error then, and
  // which of its actions take which resource would say nothing more.
  let servicesNamed = true;
  for (const action of statement.Action) {
    if (isEveryAction(action)) {
      servicesNamed = false;
      out.push(finding(target, statement, 'every-action', 'error', `"${action}" grants every action of every service`, "Name the actions the role needs: a service's own wildcard (codecommit:Get*) at the widest."));
      continue;
    }
    if (hasWildcardService(action)) {
      servicesNamed = false;
      out.push(
        finding(target, statement, 'service-wildcard', 'error', `${action} has a wildcard in its service prefix, which IAM refuses ("Action vendors must not contain wildcards"): the policy could not be created`, 'Name each service, one pattern each: codecommit:Get* and codebuild:Get* for code*:Get*.'),
      );
      continue;
    }
    const matched = expandAction(action, catalog);
    expanded.push(...matched);
    if (matched.length === 0) {
      const known = catalog.actions(action.split(':')[0]) !== undefined;
      out.push(
        isWildcard(action)
          ? finding(target, statement, 'wildcard-matches-nothing', 'error', `${action} matches no IAM action`, 'Fix the pattern, or remove it.')
          : finding(target, statement, 'unknown-action', 'error', `${action} is not an IAM action${known ? '' : ` (IAM knows no service ${action.split(':')[0]})`}`, "Check the spelling against the service's actions in the IAM Service Authorization Reference."),
      );
      continue;
    }
    if (isWildcard(action)) continue;
    const [info] = matched;
    const required = info.resourceTypes.some((t) => t.required);
    if (onStar && required) {
      // CodeStar's account-wide service role does this throughout, on purpose; everywhere else it is a mistake.
      out.push(
        finding(target, statement, 'star-resource', target.scope === 'account' ? 'warning' : 'error', `${info.action} supports resource-level permissions but is granted on "*"`, 'Name the resources it acts on.'),
      );
    }
    if (!onStar && info.wildcardOnly) {
      out.push(finding(target, statement, 'wildcard-only-on-arn', 'error', `${info.action} supports no resource-level permission, so on ${arns[0]} it grants nothing`, 'Move it to a statement on "*" (the Global statement).'));
    } else if (!onStar && arns.length > 0 && !arns.some((_, k) => accepts(info, k))) {
      out.push(
        finding(target, statement, 'resource-type-mismatch', 'error', `${info.action} takes ${info.resourceTypes.map((t) => t.name).join(', ')}, and none of this statement's resources is one`, 'Pair the action with resources of a type it takes, or move it to the statement that names them.'),
      );
    }
  }
  if (!onStar && target.scope !== 'account' && servicesNamed) {
    const byService = expandedByService(statement.Action, catalog);
    for (const [k, arn] of arns.entries()) {
      const taken = [...byService].some(([service, infos]) => {
        const types = typesOf(service)[k];
        return (types.length > 0 && infos.some((info) => actionTakes(info, types))) || acceptedForeign(service, arn);
      });
      if (!taken) {
        out.push(finding(target, statement, 'resource-type-mismatch', 'error', `no action of this statement takes ${arn}`, 'Remove the resource, or move it to the statement whose actions act on it.'));
      }
    }
  }
  const passRole = expanded.some((a) => a.action === 'iam:PassRole');
  if (passRole && onStar) out.push(finding(target, statement, 'pass-role-star', 'error', 'iam:PassRole on "*" lets a member pass any role, and so gain its permissions', "Name the project's worker roles."));
  return out;
}

function acceptedForeign(service: string, arn: string): boolean {
  return ACCEPTED_FOREIGN_RESOURCES.some((a) => a.service === service && a.resource.test(arn));
}

/** An action already matched by another pattern of the same statement. */
function redundantActions(target: LintTarget, statement: Statement): Problem[] {
  // Templates give every project the same action lists: most statements have none, known from the list alone.
  if (!hasRedundantAction(statement.Action)) return [];
  return statement.Action.filter((a) => statement.Action.some((b) => b !== a && patternContains(b, a, { ignoreCase: true }))).map((a) => {
    const by = statement.Action.find((b) => b !== a && patternContains(b, a, { ignoreCase: true }));
    return finding(target, statement, 'redundant-action', 'warning', `${a} is already granted by ${by}`, `Remove ${a}.`);
  });
}

/** A statement whose every grant another statement of the same policy already makes. */
function redundantStatements(target: LintTarget): Problem[] {
  const out: Problem[] = [];
  const statements = target.doc.Statement;
  // A cover must cover s's first resource: it names it, or has a pattern that contains it. Only those
  // statements are tried, in policy order.
  const index = new PatternIndex(statements.flatMap((t, k) => t.Resource.map((r): [string, number] => [r, k])));
  const coveringOf = (resource: string) => [...index.covering(resource)].sort((a, b) => a - b).map((k) => statements[k]);
  for (const s of statements) {
    const first = s.Resource[0];
    const candidates = first === undefined ? statements : coveringOf(first);
    const cover = candidates.find(
      (t) =>
        t !== s &&
        t.Effect === s.Effect &&
        (t.Condition === undefined || JSON.stringify(t.Condition) === JSON.stringify(s.Condition)) &&
        actionsCover(t.Action, s.Action) &&
        s.Resource.every((r) => t.Resource.some((p) => patternContains(p, r))),
    );
    if (cover) {
      out.push(
        finding(target, s, 'redundant-statement', 'warning', `every grant of ${s.Sid} is also made by ${cover.Sid}`, `If the project lists two resources where one holds the other (an application and one of its groups), list only the wider; if a template repeats a grant, remove it there.`),
      );
    }
  }
  return out;
}

const redundancy: PairMemo<boolean> = new Map();
const covers: PairMemo<boolean> = new Map();
const expansions: PairMemo<Map<string, ActionInfo[]>> = new Map();
registerMemo(redundancy, covers, expansions);
const expansionsOf = catalogueMemos(expansions);

function hasRedundantAction(actions: string[]): boolean {
  return memo2(redundancy, actions, actions, () => actions.some((a) => actions.some((b) => b !== a && patternContains(b, a, { ignoreCase: true }))));
}

/** Does every action of `inner` fall under a pattern of `outer`? */
function actionsCover(outer: string[], inner: string[]): boolean {
  return memo2(covers, outer, inner, () => inner.every((a) => outer.some((b) => patternContains(b, a, { ignoreCase: true }))));
}

/** The actions that the statement's patterns match, by service. */
function expandedByService(actions: string[], catalog: IamCatalog): Map<string, ActionInfo[]> {
  expansionsOf(catalog);
  return memo2(expansions, actions, actions, () => {
    const out = new Map<string, ActionInfo[]>();
    for (const pattern of actions) {
      for (const info of expandAction(pattern, catalog)) {
        const service = info.action.slice(0, info.action.indexOf(':'));
        const list = out.get(service);
        if (list) list.push(info);
        else out.set(service, [info]);
      }
    }
    return out;
  });
}
