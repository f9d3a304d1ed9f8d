import { patternContains } from './glob';
import { Condition, ConditionValue, PolicyDocument, POLICY_VERSION, Statement } from './statement';

/**
 * Puts statements in their one canonical form, so that the same grants always give the same bytes:
 * - actions deduplicated case-insensitively and sorted; resources deduplicated and sorted;
 * - condition operators, keys and values sorted;
 * - statements with the same Sid, effect and condition merged, when they share resources (actions join)
 *   or share actions (resources join); then statements of any Sid with the same actions, effect and
 *   condition merged under the first Sid (an application and one of its groups, say);
 * - a named resource (no wildcard) that a pattern of its statement already covers left out: a
 *   deployment group listed next to its application's groups, `app/*`. Patterns stay as written;
 *   the seed's own `aws-codestar-*` and `aws-codestar-*\/*` among them;
 * - Sids alphanumeric, derived from the actions' services when a template gives none, and unique;
 * - statements sorted by Sid.
 */
export function normalise(statements: readonly Statement[]): PolicyDocument {
  let merged = statements.map(canonical);
  merged = mergeBy(merged, (s) => groupKey(s.Sid, s, listKey(s.Resource)), (group) => ({ ...group[0], Action: sortActions(group.flatMap((s) => s.Action)) }));
  merged = mergeBy(merged, (s) => groupKey(s.Sid, s, actionsKey(s.Action)), joinResources);
  const texts = new Map<Statement, string>();
  const text = (s: Statement) => texts.get(s) ?? texts.set(s, JSON.stringify(s)).get(s)!;
  merged.sort((a, b) => compare(a.Sid, b.Sid) || compare(text(a), text(b)));
  merged = mergeBy(merged, (s) => groupKey('', s, actionsKey(s.Action)), joinResources);
  merged = merged.map((s) => (s.Resource.some(isPattern) ? { ...s, Resource: s.Resource.filter((r) => isPattern(r) || !s.Resource.some((other) => other !== r && patternContains(other, r))) } : s));
  const used = new Map<string, number>();
  const unique = merged.map((s) => {
    const count = (used.get(s.Sid) ?? 0) + 1;
    used.set(s.Sid, count);
    return count === 1 ? s : { ...s, Sid: `${s.Sid}${count}` };
  });
  return { Version: POLICY_VERSION, Statement: unique };
}

const joinResources = (group: Statement[]): Statement => ({ ...group[0], Resource: sortUnique(group.flatMap((s) => s.Resource)) });

export function canonical(s: Statement): Statement {
  const out: Statement = {
    Sid: sanitiseSid(s.Sid) || deriveSid(s),
    Effect: s.Effect,
    Action: sortActions(s.Action),
    Resource: sortUnique(s.Resource),
  };
  if (s.Condition && Object.keys(s.Condition).length > 0) out.Condition = canonicalCondition(s.Condition);
  return out;
}

const sorted = new Map<string, string[]>();

/** Service prefixes are lower case in IAM; the action part keeps the template's spelling. */
function sortActions(actions: string[]): string[] {
  // Templates give every project the same lists: sorted once, and that one list shared by every
  // statement with these actions, so that the checks' memos (list-memo.ts) know it at once. Nothing
  // changes a statement's lists once it is made (statement.ts). (Lists here are fresh each time, so
  // keyed by their text rather than numbered.)
  const key = listKey(actions);
  let found = sorted.get(key);
  if (!found) {
    if (sorted.size >= 5_000) sorted.clear();
    sorted.set(key, (found = sortActionsUncached(actions)));
  }
  return found;
}

function sortActionsUncached(actions: string[]): string[] {
  const byLower = new Map<string, string>();
  for (const action of actions) {
    const [service, name] = action.split(':');
    const written = name === undefined ? action : `${service.toLowerCase()}:${name}`;
    const lower = written.toLowerCase();
    const kept = byLower.get(lower);
    if (kept === undefined || compare(written, kept) < 0) byLower.set(lower, written);
  }
  return [...byLower.entries()].sort((a, b) => compare(a[0], b[0])).map((e) => e[1]);
}

function sortUnique(values: string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function canonicalCondition(condition: Condition): Condition {
  const out: Condition = {};
  for (const operator of Object.keys(condition).sort(compare)) {
    out[operator] = {};
    for (const k of Object.keys(condition[operator]).sort(compare)) {
      const values = condition[operator][k];
      const seen = new Map<string, ConditionValue>(values.map((v) => [JSON.stringify(v), v]));
      out[operator][k] = [...seen.keys()].sort(compare).map((v) => seen.get(v) as ConditionValue);
    }
  }
  return out;
}

function sanitiseSid(sid: string): string {
  return /^[A-Za-z0-9]*$/.test(sid) ? sid : sid.replace(/[^A-Za-z0-9]/g, '');
}

/** `codebuild:StartBuild` + `logs:GetLogEvents` -> `CodebuildLogs`. */
function deriveSid(s: Statement): string {
  const services = sortUnique(s.Action.map((a) => a.split(':')[0].toLowerCase()));
  const words = services.map((svc) => svc.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()));
  return sanitiseSid(words.join('') + (s.Resource.includes('*') ? 'AllResources' : '')) || 'Statement';
}

const isPattern = (resource: string) => /[*?]/.test(resource);

/**
 * A grouping key: equal exactly when the Sid (alphanumeric), effect, condition and list are. The list's
 * key comes last, so that it alone may hold newlines.
 */
function groupKey(sid: string, s: Statement, list: string): string {
  return `${sid}\n${s.Effect}\n${s.Condition === undefined ? '' : JSON.stringify(s.Condition)}\n${list}`;
}

/** A key equal exactly for equal lists: the items joined by newlines when none holds one (no action or resource does). */
function listKey(list: readonly string[]): string {
  for (const item of list) if (item.includes('\n')) return `j${JSON.stringify(list)}`;
  return `n${list.join('\n')}`;
}

/** The same for a list of actions, case-insensitively: made once for each list (sortActions shares them). */
function actionsKey(actions: readonly string[]): string {
  let key = actionKeys.get(actions);
  if (key === undefined) actionKeys.set(actions, (key = listKey(actions).toLowerCase()));
  return key;
}

const actionKeys = new WeakMap<readonly string[], string>();

/** Merges each group of statements with the same key into one, in the order of each group's first. */
function mergeBy(statements: Statement[], keyOf: (s: Statement) => string, join: (group: Statement[]) => Statement): Statement[] {
  const groups = new Map<string, Statement[]>();
  for (const s of statements) {
    const k = keyOf(s);
    const group = groups.get(k);
    if (group) group.push(s);
    else groups.set(k, [s]);
  }
  return [...groups.values()].map((group) => (group.length === 1 ? group[0] : join(group)));
}

/** Code-point order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two-space JSON, LF, final newline. */
export function serialise(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
