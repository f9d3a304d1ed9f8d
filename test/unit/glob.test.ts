import fc from 'fast-check';
import { containsByTokens, firstWildcardAt, globMatch, globSource, patternContains } from '../../src/policy/glob';

describe('patternContains', () => {
  it('matches a name: * spans / and :, ? is one character', () => {
    expect(patternContains('arn:aws:s3:::b/*', 'arn:aws:s3:::b/a/b:c')).toBe(true);
    expect(patternContains('a?c', 'abc')).toBe(true);
    expect(patternContains('a?c', 'ac')).toBe(false);
  });

  it('is case-sensitive unless told otherwise (resources are, actions are not)', () => {
    expect(patternContains('codebuild:start*', 'codebuild:StartBuild')).toBe(false);
    expect(patternContains('codebuild:start*', 'codebuild:StartBuild', { ignoreCase: true })).toBe(true);
  });

  it('does not let a project prefix reach a longer project name', () => {
    expect(patternContains('arn:aws:codepipeline:r:1:abc/*', 'arn:aws:codepipeline:r:1:abc-x')).toBe(false);
    expect(patternContains('arn:aws:codepipeline:r:1:abc/*', 'arn:aws:codepipeline:r:1:abc-x/stage')).toBe(false);
  });

  it('knows a wider pattern contains a narrower one', () => {
    expect(patternContains('arn:aws:s3:::aws-codestar-*/*', 'arn:aws:s3:::aws-codestar-x/*')).toBe(true);
    expect(patternContains('arn:aws:cloudformation:*:*:stack/awscodestar-*', 'arn:aws:cloudformation:r:1:stack/awscodestar-a/*')).toBe(true);
  });

  it('never lets a ? cover a *', () => {
    expect(patternContains('a?', 'a*')).toBe(false);
    expect(patternContains('a*', 'a?')).toBe(true);
  });

  it('says no when the narrower pattern reaches outside', () => {
    expect(patternContains('arn:aws:s3:::aws-codestar-*', 'arn:aws:s3:::my-bucket')).toBe(false);
    expect(patternContains('arn:aws:s3:::b', 'arn:aws:s3:::b*')).toBe(false);
    expect(patternContains('abc', 'abc')).toBe(true);
  });
});

describe('patternContains, for a literal start and one final *', () => {
  it('answers as the general comparison does', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '?');
    const text = fc.array(alphabet, { maxLength: 8 }).map((cs) => cs.join(''));
    const literal = fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 5 }).map((cs) => cs.join(''));
    let contained = 0;
    fc.assert(
      fc.property(literal, text, (start, inner) => {
        const outer = `${start}*`;
        const expected = containsByTokens(outer, inner);
        contained += expected ? 1 : 0;
        expect(patternContains(outer, inner)).toBe(expected);
      }),
      { seed: 12, numRuns: 5000 },
    );
    expect(contained).toBeGreaterThan(500);
  });
});

describe('containsByTokens', () => {
  it('is sound: every name the inner pattern matches, the outer matches too', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '*', '?');
    const pattern = fc.array(alphabet, { maxLength: 7 }).map((cs) => cs.join(''));
    // A name the inner pattern matches: each * a run of letters, each ? one letter.
    const fill = fc.array(fc.array(fc.constantFrom('a', 'b', '/'), { maxLength: 3 }).map((cs) => cs.join('')), { minLength: 8, maxLength: 8 });
    let contained = 0;
    fc.assert(
      fc.property(pattern, pattern, fill, (outer, inner, runs) => {
        if (!containsByTokens(outer, inner)) return;
        contained++;
        let k = 0;
        const name = inner.replace(/[*?]/g, (w) => (w === '*' ? runs[k++ % runs.length] : (runs[k++ % runs.length] + 'a')[0]));
        expect(globMatch(inner, name)).toBe(true);
        expect(globMatch(outer, name)).toBe(true);
      }),
      { seed: 13, numRuns: 5000 },
    );
    expect(contained).toBeGreaterThan(300);
  });
});

describe('globMatch', () => {
  const regexMatch = (pattern: string, text: string) => new RegExp(`^${globSource(pattern)}$`, 's').test(text);

  it('answers as the regular expression of the pattern does, on any text', () => {
    const alphabet = fc.constantFrom('a', 'b', ':', '/', '*', '?', '.', '$', '\n', 'é');
    const text = fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(text, text, (pattern, name) => {
        expect(globMatch(pattern, name)).toBe(regexMatch(pattern, name));
      }),
      { seed: 11, numRuns: 5000 },
    );
  });

  it('backtracks: a star takes as much as the rest needs', () => {
    expect(globMatch('a*b*c', 'aXbYbZc')).toBe(true);
    expect(globMatch('a*b?c', 'abbbc')).toBe(true);
    expect(globMatch('a*b?c', 'abc')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('?', '')).toBe(false);
  });
});

describe('firstWildcardAt', () => {
  it('is the index of the first * or ?, whichever comes first, or the length', () => {
    expect(['a*b?c', 'a?b*c', '*', '?x', 'abc', ''].map(firstWildcardAt)).toEqual([1, 1, 0, 0, 3, 0]);
  });
});
