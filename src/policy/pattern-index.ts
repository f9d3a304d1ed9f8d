import { firstWildcardAt, patternContains } from './glob';

/**
 * Resource patterns, each with what it belongs to (a statement, its number), ready for the question
 * "which of them contain this resource?" (patternContains), asked many times. A name is found by
 * look-up. A pattern is compared only with a resource that agrees with it up to the colon after the
 * service field, and up to the first wildcard of either.
 */
export class PatternIndex<T> {
  private readonly names = new Map<string, T[]>();
  /** Wildcard patterns by serviceHead ('' when theirs is not literal). */
  private readonly patterns = new Map<string, { pattern: string; literal: string; owner: T }[]>();
  private readonly answers = new Map<string, Set<T>>();

  constructor(entries: Iterable<[pattern: string, owner: T]>) {
    for (const [pattern, owner] of entries) {
      const named = this.names.get(pattern);
      if (named) named.push(owner);
      else this.names.set(pattern, [owner]);
      const stop = firstWildcardAt(pattern);
      if (stop === pattern.length) continue;
      const head = serviceHead(pattern);
      const entry = { pattern, literal: pattern.slice(0, stop), owner };
      const group = this.patterns.get(head);
      if (group) group.push(entry);
      else this.patterns.set(head, [entry]);
    }
  }

  /** The owners of the patterns that contain the resource, each once. */
  covering(resource: string): Set<T> {
    let found = this.answers.get(resource);
    if (found) return found;
    found = new Set(this.names.get(resource));
    const head = serviceHead(resource);
    const groups = head === '' ? [...this.patterns.values()] : [this.patterns.get(head) ?? [], this.patterns.get('') ?? []];
    const literal = resource.slice(0, firstWildcardAt(resource));
    for (const group of groups) {
      for (const p of group) {
        if (found.has(p.owner) || !(p.literal.length <= literal.length ? literal.startsWith(p.literal) : p.literal.startsWith(literal))) continue;
        if (patternContains(p.pattern, resource)) found.add(p.owner);
      }
    }
    // Bounded: an index kept for a whole run (one per account's service role) is asked of every project.
    if (this.answers.size >= 10_000) this.answers.clear();
    this.answers.set(resource, found);
    return found;
  }
}

/**
 * `arn:aws:s3:` of `arn:aws:s3:::b/*`: the text up to the colon after the service field, when it has
 * no wildcard; else ''. A pattern can contain a resource only if the two agree there (or either is '').
 */
function serviceHead(resource: string): string {
  const end = serviceFieldEnd(resource);
  return end > 0 && firstWildcardAt(resource) > end ? resource.slice(0, end + 1) : '';
}

/**
 * Where the colon after an ARN's service field is (`arn:aws:s3:` ends at 10), or -1 when the text has
 * fewer than three colons: then it has no whole service field.
 */
export function serviceFieldEnd(text: string): number {
  let at = -1;
  for (let n = 0; n < 3; n++) {
    at = text.indexOf(':', at + 1);
    if (at < 0) return -1;
  }
  return at;
}
