import { didYouMean, editDistance } from '../../src/model/did-you-mean';

describe('didYouMean', () => {
  it('measures edit distance', () => {
    expect(editDistance('resorces', 'resources')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('nmae', 'name')).toBe(1);
  });

  it('suggests the field a typo was meant to be', () => {
    const fields = ['id', 'name', 'region', 'account', 'team', 'serviceRole', 'resources'];
    expect(didYouMean('resorces', fields)).toBe('resources');
    expect(didYouMean('acount', fields)).toBe('account');
    expect(didYouMean('Region', fields)).toBe('region');
    expect(didYouMean('servicerole', fields)).toBe('serviceRole');
    expect(didYouMean('nmae', ['type', 'name'])).toBe('name');
  });

  it('suggests nothing for a word that is not close to any field', () => {
    expect(didYouMean('colour', ['id', 'region', 'account'])).toBeUndefined();
  });
});
