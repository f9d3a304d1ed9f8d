import { actionMatches, resourceMatches } from './match';

/** A statement as IAM reads it: Action or NotAction, Resource or NotResource, each a string or a list. */
export interface EvalStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

export interface EvalPolicy {
  Statement: EvalStatement[];
}

export interface Request {
  action: string;
  resource: string;
  /** Condition keys and policy variables: `aws:username`, `iam:PassedToService`... */
  context?: Readonly<Record<string, string | string[]>>;
}

export type Decision = 'allowed' | 'explicitly-denied' | 'implicitly-denied';

/** IAM's evaluation of one identity policy: an explicit Deny wins, then any Allow, else implicitly denied. */
export function evaluate(policy: EvalPolicy, request: Request): Decision {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'explicitly-denied';
    allowed = true;
  }
  return allowed ? 'allowed' : 'implicitly-denied';
}

/** The statements of `policy` that allow the request. */
export function allowingStatements(policy: EvalPolicy, request: Request): EvalStatement[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow' && statementApplies(s, request));
}

export function statementApplies(statement: EvalStatement, request: Request): boolean {
  const context = request.context ?? {};
  const variables = Object.fromEntries(Object.entries(context).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const actionHit = (list: string | string[]) => asList(list).some((p) => actionMatches(p, request.action));
  const resourceHit = (list: string | string[]) => asList(list).some((p) => resourceMatches(p, request.resource, variables));
  if (statement.Action !== undefined ? !actionHit(statement.Action) : statement.NotAction === undefined || actionHit(statement.NotAction)) return false;
  if (statement.Resource !== undefined ? !resourceHit(statement.Resource) : statement.NotResource === undefined || resourceHit(statement.NotResource)) return false;
  return conditionHolds(statement.Condition, context);
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every operator, every key: all must hold. */
function conditionHolds(condition: EvalStatement['Condition'], context: Readonly<Record<string, string | string[]>>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
      return operatorHolds(operator, asList(expected as unknown).map(String), actual === undefined ? undefined : asList(actual));
    }),
  );
}

const COMPARE: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (e, a) => e === a,
  StringEqualsIgnoreCase: (e, a) => e.toLowerCase() === a.toLowerCase(),
  StringLike: (e, a) => resourceMatches(e, a),
  ArnEquals: (e, a) => resourceMatches(e, a),
  ArnLike: (e, a) => resourceMatches(e, a),
  Bool: (e, a) => e.toLowerCase() === a.toLowerCase(),
  NumericEquals: (e, a) => Number(e) === Number(a),
  NumericLessThan: (e, a) => Number(a) < Number(e),
  NumericLessThanEquals: (e, a) => Number(a) <= Number(e),
  NumericGreaterThan: (e, a) => Number(a) > Number(e),
  NumericGreaterThanEquals: (e, a) => Number(a) >= Number(e),
};
const NEGATED: Record<string, string> = {
  StringNotEquals: 'StringEquals',
  StringNotEqualsIgnoreCase: 'StringEqualsIgnoreCase',
  StringNotLike: 'StringLike',
  ArnNotEquals: 'ArnEquals',
  ArnNotLike: 'ArnLike',
  NumericNotEquals: 'NumericEquals',
};

/**
 * One operator on one key. A missing key fails a positive test and passes a negated one; `...IfExists`
 * passes on a missing key; `ForAllValues:` and `ForAnyValue:` quantify over a multi-valued key.
 * An operator this engine does not know never holds: the engine errs toward granting less.
 */
function operatorHolds(operator: string, expected: string[], actual: string[] | undefined): boolean {
  const [qualifier, rest] = operator.includes(':') ? operator.split(':') : ['', operator];
  const ifExists = rest.endsWith('IfExists');
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (base === 'Null') return (actual === undefined) === (expected[0]?.toLowerCase() === 'true');
  if (actual === undefined) return ifExists || (base in NEGATED && qualifier !== 'ForAnyValue');
  const negated = base in NEGATED;
  const compare = COMPARE[negated ? NEGATED[base] : base];
  if (!compare) return false;
  const one = (value: string) => (negated ? !expected.some((e) => compare(e, value)) : expected.some((e) => compare(e, value)));
  if (qualifier === 'ForAllValues') return actual.every(one);
  return negated && qualifier !== 'ForAnyValue' ? actual.every(one) : actual.some(one);
}
