import { formatProblems, Problem } from '../../src/problems';

const warning = (code: string, n: number): Problem => ({ code, severity: 'warning', message: `number ${n}`, policy: `output/p${n}/owner.json` });
const error = (n: number): Problem => ({ code: 'lattice', severity: 'error', message: `number ${n}`, policy: `output/p${n}/viewer.json` });

describe('formatProblems', () => {
  it('prints every error, and of a warning that comes often the first three and a count of the rest', () => {
    const problems = [error(1), ...[1, 2, 3, 4, 5, 6].map((n) => warning('policy-near-limit', n)), error(2), warning('redundant-action', 1)];
    expect(formatProblems(problems)).toEqual([
      'output/p1/viewer.json: error lattice: number 1',
      'output/p1/owner.json: warning policy-near-limit: number 1',
      'output/p2/owner.json: warning policy-near-limit: number 2',
      'output/p3/owner.json: warning policy-near-limit: number 3',
      '... and 3 more policy-near-limit warnings: codestar-policy lint lists them all',
      'output/p2/viewer.json: error lattice: number 2',
      'output/p1/owner.json: warning redundant-action: number 1',
    ]);
  });

  it('prints four of a kind whole: a line saying "1 more" would save nothing', () => {
    const four = [1, 2, 3, 4].map((n) => warning('policy-near-limit', n));
    expect(formatProblems(four)).toHaveLength(4);
    expect(formatProblems([...four, warning('policy-near-limit', 5)])).toHaveLength(4);
  });

  it('never counts errors away, however many', () => {
    const errors = Array.from({ length: 50 }, (_, n) => error(n));
    expect(formatProblems(errors)).toHaveLength(50);
  });

  it('writes large counts with separators', () => {
    const many = Array.from({ length: 1303 }, (_, n) => warning('policy-near-limit', n));
    expect(formatProblems(many)[3]).toBe('... and 1,300 more policy-near-limit warnings: codestar-policy lint lists them all');
  });
});
