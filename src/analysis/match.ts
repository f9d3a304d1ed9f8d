import { firstWildcardAt, globMatch, globRegExp } from '../policy/glob';
import { listId, registerMemo } from '../policy/list-memo';
import { ActionInfo, IamCatalog } from './iam-catalog';

const expansions = new WeakMap<IamCatalog, Map<string, ActionInfo[]>>();

/** The actions an action pattern matches: case-insensitive, `*` any run, `?` one character. */
export function expandAction(pattern: string, catalog: IamCatalog): ActionInfo[] {
  let cache = expansions.get(catalog);
  if (!cache) expansions.set(catalog, (cache = new Map()));
  let found = cache.get(pattern);
  if (!found) cache.set(pattern, (found = expandUncached(pattern, catalog)));
  return found;
}

function expandUncached(pattern: string, catalog: IamCatalog): ActionInfo[] {
  if (pattern === '*') return [];
  const [service, name] = pattern.split(':');
  const actions = catalog.actions(service);
  if (!actions || name === undefined) return [];
  const regex = globRegExp(name.toLowerCase());
  return actions.filter((a) => regex.test(a.action.slice(a.action.indexOf(':') + 1).toLowerCase()));
}

/**
 * The services an action list names (`s3` of `s3:Get*`), lower case, each once. Templates give every
 * project the same lists: remembered per list.
 */
export function namedServices(actions: string[]): string[] {
  const id = listId(actions);
  let found = listServices.get(id);
  if (!found) {
    if (listServices.size >= 10_000) listServices.clear();
    listServices.set(id, (found = [...new Set(actions.map((a) => a.split(':')[0].toLowerCase()))]));
  }
  return found;
}

const listServices = new Map<number, string[]>();
registerMemo(listServices);

/** A service name with a wildcard (`*`, `code*`): its actions may be of any service. */
export const isServiceWildcard = (service: string): boolean => /[*?]/.test(service);

/** `*` on its own: every action of every service. */
export const isEveryAction = (action: string): boolean => /^\*+$/.test(action);

/**
 * A wildcard before the colon (`*:Get*`, `code?ommit:GitPull`). IAM refuses a policy with one: "Action
 * vendors (e.g., aws, ec2, etc.) must not contain wildcards" (MalformedPolicyDocument).
 */
export function hasWildcardService(action: string): boolean {
  const colon = action.indexOf(':');
  return colon >= 0 && isServiceWildcard(action.slice(0, colon));
}

type Token = { kind: 'text'; value: string } | { kind: 'any' } | { kind: 'one' };

// A pattern with a variable, resolved: `user/${aws:username}` is `user/member` again and again.
const variableRegExps = new Map<string, RegExp>();

/**
 * Does the resource pattern of a policy match an ARN? Case-sensitive; `*` matches any run (across `/`
 * and `:`), `?` one character; `${key}` is the request's value for that key (no value, no match);
 * `${*}`, `${?}` and `${$}` are a literal `*`, `?` and `$`.
 */
export function resourceMatches(pattern: string, arn: string, context: Readonly<Record<string, string>> = {}): boolean {
  if (!pattern.includes('${')) return globMatch(pattern, arn);
  return resourceRegExp(pattern, context)?.test(arn) ?? false;
}

/** The resource pattern, its variables resolved, as a regular expression; undefined when a variable has no value. */
export function resourceRegExp(pattern: string, context: Readonly<Record<string, string>> = {}): RegExp | undefined {
  if (!pattern.includes('${')) return globRegExp(pattern);
  let forContext = resolvedPatterns.get(context);
  if (!forContext) resolvedPatterns.set(context, (forContext = new Map()));
  if (!forContext.has(pattern)) {
    if (forContext.size >= 10_000) forContext.clear();
    forContext.set(pattern, resolve(pattern, context));
  }
  return forContext.get(pattern);
}

// Per context object: the checks ask about the same patterns in the same few contexts again and again.
const resolvedPatterns = new WeakMap<object, Map<string, RegExp | undefined>>();

function resolve(pattern: string, context: Readonly<Record<string, string>>): RegExp | undefined {
  const tokens = resourceTokens(pattern, context);
  if (!tokens) return undefined;
  const source = tokens.map((t) => (t.kind === 'any' ? '.*' : t.kind === 'one' ? '.' : t.value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  let regex = variableRegExps.get(source);
  if (!regex) {
    if (variableRegExps.size >= 1_000) variableRegExps.clear();
    variableRegExps.set(source, (regex = new RegExp(`^${source}$`, 's')));
  }
  return regex;
}

/**
 * The text that every ARN the pattern matches in this context begins with: its start up to the first
 * wildcard, variables resolved. Undefined when a variable has no value: then it matches nothing.
 */
export function literalStart(pattern: string, context: Readonly<Record<string, string>> = {}): string | undefined {
  if (!pattern.includes('${')) return pattern.slice(0, firstWildcardAt(pattern));
  const tokens = resourceTokens(pattern, context);
  if (!tokens) return undefined;
  let out = '';
  for (const t of tokens) {
    if (t.kind !== 'text') break;
    out += t.value;
  }
  return out;
}

function resourceTokens(pattern: string, context: Readonly<Record<string, string>>): Token[] | undefined {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i);
      if (end < 0) {
        tokens.push({ kind: 'text', value: c });
        continue;
      }
      const key = pattern.slice(i + 2, end);
      i = end;
      if (key === '*' || key === '?' || key === '$') tokens.push({ kind: 'text', value: key });
      else {
        const value = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
        if (value === undefined) return undefined;
        tokens.push({ kind: 'text', value });
      }
    } else if (c === '*') tokens.push({ kind: 'any' });
    else if (c === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'text', value: c });
  }
  return tokens;
}
