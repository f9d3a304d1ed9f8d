import { projectYaml, RESOURCE_TYPE_COUNT } from '../../bench/workload';
import { loadTemplates } from '../../src/index';
import { generateYaml, TEMPLATES } from '../support/fixtures';

/** The benchmark's workload: deterministic, valid, and drawn from every resource type. */
describe('the benchmark workload', () => {
  it('is the same for the same seed, and differs for another', () => {
    expect(projectYaml(7, 1)).toBe(projectYaml(7, 1));
    expect(projectYaml(7, 2)).not.toBe(projectYaml(7, 1));
  });

  it('covers every resource type of the templates', () => {
    expect(RESOURCE_TYPE_COUNT).toBe(loadTemplates(TEMPLATES).templates!.types.size);
    const seen = new Set(Array.from({ length: 200 }, (_, i) => projectYaml(i, 1)).flatMap((y) => [...y.matchAll(/type: ([a-z0-9-]+)/g)].map((m) => m[1])));
    expect(seen.size).toBe(RESOURCE_TYPE_COUNT);
  });

  it('generates without error: 300 projects, 5 to 15 resources each', () => {
    const files = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`p${i.toString(36)}.yaml`, projectYaml(i, 1)]));
    const result = generateYaml(files);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const counts = result.projects.map((p) => p.project.resources.length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...counts)).toBeLessThanOrEqual(15);
  });
});
