import { globMatch, globSource } from '../policy/glob';
import { resourceMatches, resourceRegExp } from './match';

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
  for (const statement of compiled(policy)) {
    if (!statement.applies(request)) continue;
    if (statement.source.Effect === 'Deny') return 'explicitly-denied';
    allowed = true;
  }
  return allowed ? 'allowed' : 'implicitly-denied';
}

/** The statements of `policy` that allow the request. */
export function allowingStatements(policy: EvalPolicy, request: Request): EvalStatement[] {
  return compiled(policy)
    .filter((s) => s.source.Effect === 'Allow' && s.applies(request))
    .map((s) => s.source);
}

/** Could some Allow statement of `policy` grant `action` on some resource? A quick filter for the checks. */
export function mayAllowAction(policy: EvalPolicy, action: string): boolean {
  return compiled(policy).some((s) => s.source.Effect === 'Allow' && s.matchesAction(action));
}

/** A statement made ready for many requests; `applies` is the three tests together. */
export interface CompiledStatement {
  source: EvalStatement;
  matchesAction(action: string): boolean;
  matchesResource(resource: string, context: Readonly<Record<string, string | string[]>>): boolean;
  conditionHolds(context: Readonly<Record<string, string | string[]>>): boolean;
  applies(request: Request): boolean;
}

// A policy is compiled once, however many requests the checks put to it.
const cache = new WeakMap<EvalPolicy, CompiledStatement[]>();

/** The policy's statements, compiled once per policy object. */
export function compiled(policy: EvalPolicy): CompiledStatement[] {
  let statements = cache.get(policy);
  if (!statements) {
    statements = policy.Statement.map(compileStatement);
    cache.set(policy, statements);
  }
  return statements;
}

function compileStatement(statement: EvalStatement): CompiledStatement {
  const action = statement.Action ?? statement.NotAction;
  const resource = statement.Resource ?? statement.NotResource;
  let actionTest: RegExp | undefined;
  const actionRegex = () => (actionTest ??= actionRegExp(asList(action!)));
  const resourceTest = resource === undefined ? undefined : resourceTester(asList(resource));
  const matchesAction = (name: string) => action !== undefined && actionRegex().test(name) === (statement.Action !== undefined);
  const matchesResource = (name: string, context: Readonly<Record<string, string | string[]>>) =>
    resourceTest !== undefined && resourceTest(name, context) === (statement.Resource !== undefined);
  const holds = (context: Readonly<Record<string, string | string[]>>) => conditionHolds(statement.Condition, context);
  return {
    source: statement,
    matchesAction,
    matchesResource,
    conditionHolds: holds,
    applies: (request) => matchesAction(request.action) && matchesResource(request.resource, request.context ?? {}) && holds(request.context ?? {}),
  };
}

function actionRegExp(patterns: string[]): RegExp {
  return new RegExp(`^(?:${patterns.map(globSource).join('|')})$`, 'is');
}

/**
 * Plain patterns are matched as they are (globMatch, nothing compiled); those with policy variables are
 * resolved once for each context object (the checks ask many questions in the same few contexts).
 */
function resourceTester(patterns: string[]): (arn: string, context: Readonly<Record<string, string | string[]>>) => boolean {
  const plain = patterns.filter((p) => !p.includes('${'));
  const variable = patterns.filter((p) => p.includes('${'));
  const resolved = new WeakMap<object, (arn: string) => boolean>();
  return (arn, context) => {
    if (plain.some((p) => globMatch(p, arn))) return true;
    if (variable.length === 0) return false;
    let test = resolved.get(context);
    if (!test) {
      const values = Object.fromEntries(Object.entries(context).filter((e): e is [string, string] => typeof e[1] === 'string'));
      const regexes = variable.map((p) => resourceRegExp(p, values)).filter((r): r is RegExp => r !== undefined);
      resolved.set(context, (test = (name) => regexes.some((r) => r.test(name))));
    }
    return test(arn);
  };
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
