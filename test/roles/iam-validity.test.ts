import { lintPolicy, validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import { fixtureCases, generateFixture } from '../support/fixtures';

/** Every generated document is a valid identity policy, within IAM's size limit, as its manifest says. */
describe.each(fixtureCases())('the output of %s', (name) => {
  const { files } = generateFixture(name);
  const manifest = JSON.parse(files.get(`${name}/manifest.json`)!);

  it.each(['owner', 'contributor', 'viewer', 'service-role'])('%s.json is a valid identity policy that iam-policy finds nothing to lint in', (file) => {
    const doc = JSON.parse(files.get(`${name}/${file}.json`)!);
    expect(validateIdentityPolicy(doc)).toEqual([]);
    expect(lintPolicy(doc)).toEqual([]);
  });

  const resourcePolicies = [...files.keys()].filter((f) => f.includes('/resource-policies/'));
  if (resourcePolicies.length > 0) {
    it.each(resourcePolicies)('%s is a valid resource policy', (file) => {
      expect(validateResourcePolicy(JSON.parse(files.get(file)!))).toEqual([]);
    });
  }

  it('its manifest gives each policy its size without whitespace, within 6,144 characters', () => {
    for (const policy of manifest.policies) {
      const text = files.get(`${name}/${policy.file}`)!;
      // Whitespace outside strings, removed by hand rather than by re-serialising.
      let size = 0;
      let inString = false;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (inString) {
          size++;
          if (c === '\\') {
            size++;
            i++;
          } else if (c === '"') inString = false;
        } else if (!/\s/.test(c)) {
          size++;
          if (c === '"') inString = true;
        }
      }
      expect(policy.size).toBe(size);
      expect(policy.size).toBeLessThanOrEqual(6144);
      expect(policy.sizeLimit).toBe(6144);
    }
  });
});
