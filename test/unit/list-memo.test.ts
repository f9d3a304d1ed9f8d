import { listId, memo2, PairMemo, registerMemo } from '../../src/policy/list-memo';

describe('memos over lists', () => {
  it('number equal lists alike and different lists apart', () => {
    expect(listId(['a', 'b'])).toBe(listId(['a', 'b']));
    expect(listId(['a', 'b'])).not.toBe(listId(['a,b']));
    expect(listId(['a\nb'])).toBe(listId(['a', 'b'])); // one line a list item: actions and ARNs have no newline
  });

  it('stay right across a renumbering: no answer for one pair is given for another', () => {
    const table: PairMemo<string> = new Map();
    registerMemo(table);
    const join = (a: string[], b: string[]) => memo2(table, a, b, () => `${a.join('+')}|${b.join('+')}`);
    const first = ['first'];
    expect(join(first, ['x'])).toBe('first|x');
    // Enough distinct lists to start the numbering anew (and clear the table) at least once.
    for (let i = 0; i < 60_000; i++) expect(join([`l${i}`], ['y'])).toBe(`l${i}|y`);
    expect(join(['first'], ['x'])).toBe('first|x');
    expect(join(first, ['y'])).toBe('first|y');
    expect(join(['l5'], ['y'])).toBe('l5|y');
  });
});
