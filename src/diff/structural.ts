import { diff as deepDiff } from 'deep-diff';
import { PolicyDocument, Statement } from '../policy/statement';

export interface StatementChange {
  sid: string;
  /** e.g. `Action: added codebuild:StartBuild`, `Resource: removed arn:...`. */
  changes: string[];
}

export interface StructuralDiff {
  added: string[];
  removed: string[];
  changed: StatementChange[];
}

/** Statements added, removed and changed, keyed by Sid across all parts of a role, never by position. */
export function structuralDiff(before: PolicyDocument[], after: PolicyDocument[]): StructuralDiff {
  const bySid = (docs: PolicyDocument[]) => new Map(docs.flatMap((d) => d.Statement).map((s) => [s.Sid, s] as const));
  const old = bySid(before);
  const now = bySid(after);
  const changed: StatementChange[] = [];
  for (const [sid, statement] of now) {
    const previous = old.get(sid);
    if (!previous) continue;
    const changes = describe(previous, statement);
    if (changes.length > 0) changed.push({ sid, changes });
  }
  return {
    added: [...now.keys()].filter((sid) => !old.has(sid)).sort(),
    removed: [...old.keys()].filter((sid) => !now.has(sid)).sort(),
    changed: changed.sort((a, b) => (a.sid < b.sid ? -1 : 1)),
  };
}

/** deep-diff over the statement, with Action and Resource compared as sets, not positions. */
function describe(before: Statement, after: Statement): string[] {
  const out: string[] = [];
  for (const key of ['Action', 'Resource'] as const) {
    for (const value of after[key].filter((v) => !before[key].includes(v))) out.push(`${key}: added ${value}`);
    for (const value of before[key].filter((v) => !after[key].includes(v))) out.push(`${key}: removed ${value}`);
  }
  const rest = (s: Statement) => ({ Effect: s.Effect, Condition: s.Condition ?? null });
  for (const d of deepDiff(rest(before), rest(after)) ?? []) {
    const at = (d.path ?? []).join('.');
    const value = (v: unknown) => JSON.stringify(v);
    if (d.kind === 'E') out.push(`${at}: ${value(d.lhs)} -> ${value(d.rhs)}`);
    else if (d.kind === 'N') out.push(`${at}: added ${value(d.rhs)}`);
    else if (d.kind === 'D') out.push(`${at}: removed ${value(d.lhs)}`);
    else if (d.kind === 'A') out.push(`${at}[${d.index}]: changed`);
  }
  return out;
}
