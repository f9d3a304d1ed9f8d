import fc from 'fast-check';
import { globMatch, globSource, patternContains } from '../../src/policy/glob';

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
