/**
 * Does every string that `inner` matches also match `outer`? Both are IAM patterns: `*` matches any
 * run of characters (including `/` and `:`), `?` exactly one. A pattern without wildcards is a name.
 * Sound: a `*` of `inner` can only be covered by a `*` of `outer`, and a `?` by a `?` or `*`.
 */
export function patternContains(outer: string, inner: string, options: { ignoreCase?: boolean } = {}): boolean {
  const o = options.ignoreCase ? lowerCase(outer) : outer;
  const i = options.ignoreCase ? lowerCase(inner) : inner;
  // Fast answers: the literal text before the first wildcard of either must agree, a pattern without
  // wildcards contains only itself, and a name is contained when the pattern matches it.
  const outerStop = firstWildcardAt(o);
  const innerStop = firstWildcardAt(i);
  const n = Math.min(outerStop, innerStop);
  for (let k = 0; k < n; k++) if (o.charCodeAt(k) !== i.charCodeAt(k)) return false;
  if (outerStop === o.length) return o === i;
  if (innerStop === i.length) return globMatch(o, i);
  // Most IAM patterns are a literal start and one final `*`: such a pattern contains exactly the
  // patterns whose own literal start begins with its own (the starts agree, checked above).
  if (outerStop === o.length - 1 && o.charCodeAt(outerStop) === 42) return innerStop >= outerStop;
  return containsByTokens(o, i);
}

/** patternContains' general case, pattern against pattern, token by token (exported for its test). */
export function containsByTokens(o: string, i: string): boolean {
  const tokens = tokenize(i);
  // reachable[j]: outer[0..k) can cover tokens[0..j). Two rows, swapped, for the whole comparison.
  let reachable = new Uint8Array(tokens.length + 1);
  let next = new Uint8Array(tokens.length + 1);
  reachable[0] = 1;
  for (const ch of o) {
    next.fill(0);
    if (ch === '*') {
      let seen = 0;
      for (let j = 0; j <= tokens.length; j++) {
        seen |= reachable[j];
        next[j] = seen;
      }
    } else {
      for (let j = 0; j < tokens.length; j++) {
        if (!reachable[j]) continue;
        const t = tokens[j];
        const covers = ch === '?' ? t.kind !== 'star' : t.kind === 'char' && t.value === ch;
        if (covers) next[j + 1] = 1;
      }
    }
    [reachable, next] = [next, reachable];
  }
  return reachable[tokens.length] === 1;
}

// Action names, compared without case, are the same few thousand strings in every project.
const lowered = new Map<string, string>();

function lowerCase(text: string): string {
  let found = lowered.get(text);
  if (found === undefined) {
    if (lowered.size >= 50_000) lowered.clear();
    lowered.set(text, (found = text.toLowerCase()));
  }
  return found;
}

/** The index of the first `*` or `?`, or the length when there is none. */
export function firstWildcardAt(text: string): number {
  // Two native searches beat one loop over the characters in JavaScript.
  const star = text.indexOf('*');
  const one = text.indexOf('?');
  if (star < 0) return one < 0 ? text.length : one;
  return one < 0 || star < one ? star : one;
}

/**
 * Does the IAM pattern match the text? `*` any run, `?` one character (a UTF-16 unit, as a regular
 * expression without the u flag counts). No compiling: most patterns are seen once, in one project.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    const c = p < pattern.length ? pattern.charCodeAt(p) : -1;
    if (c === 42) {
      star = p++;
      resume = t;
    } else if (c === 63 || (c >= 0 && c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/** An IAM pattern as regular expression source: `*` any run, `?` one character, all else literal. */
export function globSource(pattern: string): string {
  return pattern.replace(/[.+^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
}

// Patterns repeat across projects (templates write the same actions everywhere); bounded all the same.
const compiled = new Map<string, RegExp>();

/** The pattern as an anchored regular expression, compiled once. */
export function globRegExp(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    if (compiled.size >= 5_000) compiled.clear();
    compiled.set(pattern, (regex = new RegExp(`^${globSource(pattern)}$`, 's')));
  }
  return regex;
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
