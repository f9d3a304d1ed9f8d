/**
 * Does every string that `inner` matches also match `outer`? Both are IAM patterns: `*` matches any
 * run of characters (including `/` and `:`), `?` exactly one. A pattern without wildcards is a name.
 * Sound: a `*` of `inner` can only be covered by a `*` of `outer`, and a `?` by a `?` or `*`.
 */
export function patternContains(outer: string, inner: string, options: { ignoreCase?: boolean } = {}): boolean {
  const o = options.ignoreCase ? outer.toLowerCase() : outer;
  const i = options.ignoreCase ? inner.toLowerCase() : inner;
  // Fast answers: the literal text before the first wildcard of either must agree, and a pattern
  // without wildcards contains only itself.
  const n = Math.min(firstWildcard(o), firstWildcard(i));
  if (o.slice(0, n) !== i.slice(0, n)) return false;
  if (firstWildcard(o) === o.length) return o === i;
  const tokens = tokenize(i);
  // reachable[j]: outer[0..k) can cover tokens[0..j)
  let reachable = new Array<boolean>(tokens.length + 1).fill(false);
  reachable[0] = true;
  for (const ch of o) {
    const next = new Array<boolean>(tokens.length + 1).fill(false);
    if (ch === '*') {
      let seen = false;
      for (let j = 0; j <= tokens.length; j++) {
        seen = seen || reachable[j];
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < tokens.length; j++) {
        if (!reachable[j]) continue;
        const t = tokens[j];
        const covers = ch === '?' ? t.kind !== 'star' : t.kind === 'char' && t.value === ch;
        if (covers) next[j + 1] = true;
      }
    }
    reachable = next;
  }
  return reachable[tokens.length];
}

function firstWildcard(text: string): number {
  const at = text.search(/[*?]/);
  return at < 0 ? text.length : at;
}

type Token = { kind: 'char'; value: string } | { kind: 'star' } | { kind: 'one' };

function tokenize(pattern: string): Token[] {
  const out: Token[] = [];
  for (const ch of pattern) {
    if (ch === '*') out.push({ kind: 'star' });
    else if (ch === '?') out.push({ kind: 'one' });
    else out.push({ kind: 'char', value: ch });
  }
  return out;
}
