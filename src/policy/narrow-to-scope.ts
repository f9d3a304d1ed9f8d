import { patternContains } from './glob';
import { PatternIndex } from './pattern-index';
import { memo2, PairMemo, registerMemo } from './list-memo';
import { Condition, PolicyDocument, Statement } from './statement';

export interface DroppedGrant {
  sid: string;
  actions: string[];
  resource: string;
}

/**
 * Keeps, of each Allow statement, only the (action, resource) grants that `scope` also allows,
 * so that the project's service role never grants what the account-wide one does not.
 * A grant is covered when one statement of `scope` holds a pattern containing the action, a pattern
 * containing the resource, and a condition no looser than the statement's own.
 */
export function narrowToScope(statements: readonly Statement[], scope: PolicyDocument): { statements: Statement[]; dropped: DroppedGrant[] } {
  const allows = scope.Statement.filter((s) => s.Effect === 'Allow');
  const kept: Statement[] = [];
  const dropped: DroppedGrant[] = [];
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') {
      kept.push(statement);
      continue;
    }
    const byActions = new Map<string, { actions: string[]; resources: string[] }>();
    // Which of the statement's actions each scope statement covers, whatever the resource.
    const scopes = allows.filter((s) => conditionNoLooser(statement.Condition, s.Condition)).map((s) => ({ s, covers: actionsCovered(s.Action, statement.Action) }));
    const index = scopeIndex(scope);
    for (const resource of statement.Resource) {
      const covering = index.covering(resource);
      const here = scopes.filter(({ s }) => covering.has(s));
      const covered = statement.Action.filter((_, i) => here.some(({ covers }) => covers[i]));
      const lost = statement.Action.filter((a) => !covered.includes(a));
      if (lost.length > 0) dropped.push({ sid: statement.Sid, actions: lost, resource });
      if (covered.length === 0) continue;
      const k = covered.join(',');
      const group = byActions.get(k) ?? { actions: covered, resources: [] };
      group.resources.push(resource);
      byActions.set(k, group);
    }
    for (const group of byActions.values()) kept.push({ ...statement, Action: group.actions, Resource: group.resources });
  }
  return { statements: kept, dropped };
}

// The scope's resource patterns, indexed once per scope document (one per account): asked about every
// resource of every project that shares it.
const scopeIndexes = new WeakMap<PolicyDocument, PatternIndex<Statement>>();

function scopeIndex(scope: PolicyDocument): PatternIndex<Statement> {
  let index = scopeIndexes.get(scope);
  if (!index) scopeIndexes.set(scope, (index = new PatternIndex(scope.Statement.flatMap((s) => s.Resource.map((r): [string, Statement] => [r, s])))));
  return index;
}

const coverage: PairMemo<boolean[]> = new Map();
registerMemo(coverage);

/** For each action of `actions`: does a pattern of `patterns` contain it? */
function actionsCovered(patterns: string[], actions: string[]): boolean[] {
  return memo2(coverage, patterns, actions, () => actions.map((a) => patterns.some((p) => patternContains(p, a, { ignoreCase: true }))));
}

const PATTERN_OPERATORS = /^(StringLike|StringNotLike|ArnLike|ArnNotLike|ArnEquals|ArnNotEquals)$/;

/**
 * Every test of `outer` is also made by `inner`, at least as strictly. A test holds when the value is
 * one of its values, so inner's values must each be one that outer accepts; a negated test (`...Not...`)
 * holds when the value is none of them, so inner must exclude each value outer excludes.
 */
function conditionNoLooser(inner: Condition | undefined, outer: Condition | undefined): boolean {
  if (!outer) return true;
  return Object.entries(outer).every(([operator, keys]) =>
    Object.entries(keys).every(([k, outerValues]) => {
      const innerValues = inner?.[operator]?.[k];
      if (!innerValues) return false;
      const covers = (wide: unknown, narrow: unknown) => (PATTERN_OPERATORS.test(operator) ? patternContains(String(wide), String(narrow)) : wide === narrow);
      if (operator.includes('Not')) return outerValues.every((o) => innerValues.some((v) => covers(v, o)));
      return innerValues.every((v) => outerValues.some((o) => covers(o, v)));
    }),
  );
}
