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
  merged = mergeBy(merged, (s) => key(s.Sid, s.Effect, s.Condition, s.Resource), (a, b) => ({ ...a, Action: sortActions([...a.Action, ...b.Action]) }));
  merged = mergeBy(merged, (s) => key(s.Sid, s.Effect, s.Condition, s.Action.map((x) => x.toLowerCase())), (a, b) => ({ ...a, Resource: sortUnique([...a.Resource, ...b.Resource]) }));
  merged.sort((a, b) => compare(a.Sid, b.Sid) || compare(JSON.stringify(a), JSON.stringify(b)));
  merged = mergeBy(merged, (s) => key(s.Effect, s.Condition, s.Action.map((x) => x.toLowerCase())), (a, b) => ({ ...a, Resource: sortUnique([...a.Resource, ...b.Resource]) }));
  merged = merged.map((s) => (s.Resource.some(isPattern) ? { ...s, Resource: s.Resource.filter((r) => isPattern(r) || !s.Resource.some((other) => other !== r && patternContains(other, r))) } : s));
  const used = new Map<string, number>();
  const unique = merged.map((s) => {
    const count = (used.get(s.Sid) ?? 0) + 1;
    used.set(s.Sid, count);
    return count === 1 ? s : { ...s, Sid: `${s.Sid}${count}` };
  });
  return { Version: POLICY_VERSION, Statement: unique };
}

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
  // Templates give every project the same lists: sorted once, copied after. (Lists here are fresh
  // each time, so keyed by their text rather than numbered.)
  const key = actions.join('\n');
  let found = sorted.get(key);
  if (!found) {
    if (sorted.size >= 5_000) sorted.clear();
    sorted.set(key, (found = sortActionsUncached(actions)));
  }
  return found.slice();
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
  return sid.replace(/[^A-Za-z0-9]/g, '');
}

/** `codebuild:StartBuild` + `logs:GetLogEvents` -> `CodebuildLogs`. */
function deriveSid(s: Statement): string {
  const services = sortUnique(s.Action.map((a) => a.split(':')[0].toLowerCase()));
  const words = services.map((svc) => svc.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase()));
  return sanitiseSid(words.join('') + (s.Resource.includes('*') ? 'AllResources' : '')) || 'Statement';
}

const isPattern = (resource: string) => /[*?]/.test(resource);

/** A grouping key: equal exactly when the parts are equal. */
function key(...parts: (string | string[] | Condition | undefined)[]): string {
  return parts.map((p) => (p === undefined ? '' : JSON.stringify(p))).join(',');
}

function mergeBy(statements: Statement[], keyOf: (s: Statement) => string, join: (a: Statement, b: Statement) => Statement): Statement[] {
  const groups = new Map<string, Statement>();
  for (const s of statements) {
    const k = keyOf(s);
    const existing = groups.get(k);
    groups.set(k, existing ? join(existing, s) : s);
  }
  return [...groups.values()];
}

/** Code-point order: the same on every machine and locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two-space JSON, LF, final newline. */
export function serialise(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
