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
  const regex = wildcardRegExp(name.toLowerCase());
  return actions.filter((a) => regex.test(a.action.slice(a.action.indexOf(':') + 1).toLowerCase()));
}

/** An IAM pattern as regular expression source: `*` any run, `?` one character, all else literal. */
export function globSource(pattern: string): string {
  return pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
}

const regexCache = new Map<string, RegExp>();

function wildcardRegExp(pattern: string): RegExp {
  let regex = regexCache.get(pattern);
  if (!regex) {
    regex = new RegExp(`^${globSource(pattern)}$`, 's');
    regexCache.set(pattern, regex);
  }
  return regex;
}

type Token = { kind: 'text'; value: string } | { kind: 'any' } | { kind: 'one' };

/**
 * Does the resource pattern of a policy match an ARN? Case-sensitive; `*` matches any run (across `/`
 * and `:`), `?` one character; `${key}` is the request's value for that key (no value, no match);
 * `${*}`, `${?}` and `${$}` are a literal `*`, `?` and `$`.
 */
export function resourceMatches(pattern: string, arn: string, context: Readonly<Record<string, string>> = {}): boolean {
  const tokens = resourceTokens(pattern, context);
  if (!tokens) return false;
  const source = tokens.map((t) => (t.kind === 'any' ? '.*' : t.kind === 'one' ? '.' : t.value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's').test(arn);
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
