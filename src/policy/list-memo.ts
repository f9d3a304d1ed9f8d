/**
 * Memos over lists of strings, shared by every project of a run. Templates give every project the same
 * action lists; a list object is numbered by its content once, and memos are keyed by those numbers,
 * so that a look-up never hashes or compares a long string again.
 */
const ids = new Map<string, number>();
// The number rides on the list itself, under a symbol and not enumerable: JSON, structured clone and
// deep equality do not see it. (A WeakMap of hundreds of thousands of lists costs far more.)
let ID = Symbol('list id');
type Numbered = string[] & { [key: symbol]: number | undefined };
const tables: { clear(): void }[] = [];
let generation = 0;

/**
 * A small number for the list's content, the same for equal lists: one string look-up per list object.
 * For lists of IAM actions, which hold no newline: the items are joined with one.
 */
export function listId(list: string[]): number {
  let id = (list as Numbered)[ID];
  if (id === undefined) {
    const key = list.join('\n');
    id = ids.get(key);
    if (id === undefined) {
      if (ids.size >= 50_000) {
        // Numbering anew: every memo keyed by the old numbers goes too.
        ids.clear();
        ID = Symbol('list id');
        generation++;
        for (const table of tables) table.clear();
      }
      ids.set(key, (id = ids.size + 1));
    }
    Object.defineProperty(list, ID, { value: id });
  }
  return id;
}

/** A memo over pairs of lists: the first's number, then the second's (small integers both, fast keys). */
export type PairMemo<T> = Map<number, Map<number, T>>;

/** A bounded memo over two lists, shared by every project of a run. */
export function memo2<T>(table: PairMemo<T>, a: string[], b: string[], compute: () => T): T {
  const numbering = generation;
  let x = listId(a);
  const y = listId(b);
  if (generation !== numbering) x = listId(a); // listId(b) started the numbering anew
  let row = table.get(x);
  if (!row) {
    if (table.size >= 10_000) table.clear();
    table.set(x, (row = new Map()));
  }
  let found = row.get(y);
  if (found === undefined) row.set(y, (found = compute()));
  return found;
}

/**
 * Memos of answers that depend on one IAM catalogue: the returned function, called with the catalogue
 * of each question, empties them when it is another than last time (a test may stand another in).
 */
export function catalogueMemos(...memos: { clear(): void }[]): (catalogue: object) => void {
  let current: object | undefined;
  return (catalogue) => {
    if (catalogue !== current) for (const memo of memos) memo.clear();
    current = catalogue;
  };
}

/** Tables keyed by list numbers: emptied whenever the numbering starts anew. */
export function registerMemo(...memos: { clear(): void }[]): void {
  tables.push(...memos);
}
