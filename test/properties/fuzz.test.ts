import fc from 'fast-check';
import * as fs from 'fs';
import * as yaml from 'js-yaml';
import * as path from 'path';
import { generate, PolicyDocument } from '../../src/index';
import { readTree, tempDir, TEMPLATES } from '../support/fixtures';
import { runCli } from '../support/run-cli';

/**
 * Fuzzing: random YAML structures, hostile strings in every field, random bytes. Every case ends in
 * valid policies that pass every check (lint, lattice, isolation: `generate` refuses to write
 * otherwise) and name no ARN outside the project, or in clear Problems with exit 2 and nothing written.
 * Never a thrown error, never a stack trace.
 *
 * CI runs a fixed seed and FUZZ_RUNS cases per property (default 60); `npm run fuzz` runs thousands
 * with a fresh seed, printed so that a failure can be replayed with FUZZ_SEED.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const SEED = process.env.FUZZ_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED ?? 7);
const counted = { cases: 0, valid: 0, refused: 0 };

jest.setTimeout(600_000);

afterAll(() => {
  process.stdout.write(`fuzz: seed ${SEED}, ${counted.cases} cases: ${counted.valid} generated, ${counted.refused} refused with problems\n`);
});

/** Strings that have broken tools of this kind: quoting, wildcards, variables, templates, control characters, length. */
const hostile = fc.oneof(
  fc.constantFrom('*', '?', '"', "'", '\\', '\\"', '${aws:username}', '${*}', '{{project.id}}', '{{{arn}}}', '}}', '\u0000', '\n', '\r\n', '\t', '\u2028', 'é', '😀', '../x', 'a/b', ':', 'arn:aws:s3:::*', '-', '', ' '),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 300, maxLength: 3000 }),
);

/** A valid project to start from: every field a template reads. */
function baseProject(): Record<string, unknown> {
  return {
    id: 'fuzz',
    name: 'Fuzz',
    region: 'us-east-2',
    account: '111111111111',
    team: [
      { user: 'alice', role: 'owner' },
      { user: 'bob', role: 'contributor' },
    ],
    resources: [
      { type: 'codecommit-repository', name: 'fuzz-repo' },
      { type: 's3-bucket', name: 'aws-codestar-fuzz' },
      { type: 'lambda-function', name: 'fuzz-fn' },
      { type: 'codedeploy-deploymentgroup', application: 'fuzz-app', name: 'group' },
      { type: 'iam-role', name: 'CodeStarWorker-fuzz' },
      { type: 'logs-log-group', name: '/fuzz/logs' },
      { arn: 'arn:aws:codebuild:us-east-2:111111111111:project/fuzz-build' },
    ],
  };
}

/** Every path to a string of the base project: where a hostile string goes. */
function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}
const PATHS = stringPaths(baseProject());

function setAt(root: Record<string, unknown>, at: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of at.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[at[at.length - 1]] = value;
}

/** An ARN a policy may name: the project's partition and account, or none (S3), or AWS's own; `*`. */
function foreignArns(doc: PolicyDocument, account: string): string[] {
  return doc.Statement.flatMap((s) => s.Resource).filter((r) => {
    if (r === '*') return false;
    const [arn, partition, , , owner] = r.split(':');
    return arn !== 'arn' || partition !== 'aws' || !['', account, 'aws'].includes(owner);
  });
}

/** Runs the library and the CLI on one project file; asserts the outcome is one of the two allowed. */
async function judge(name: string, contents: string | Uint8Array): Promise<void> {
  counted.cases++;
  const projects = tempDir('fuzz-projects-');
  fs.writeFileSync(path.join(projects, name), contents);
  const out = tempDir('fuzz-out-');
  try {
    const result = generate({ projectsDir: projects, templatesDir: TEMPLATES });
    const errors = result.problems.filter((p) => p.severity === 'error');
    for (const p of result.problems) {
      expect(p.code).toMatch(/^[a-z0-9-]+$/);
      expect(p.message.length).toBeGreaterThan(0);
      expect(p.file ?? p.policy).toBeDefined();
    }
    const run = await runCli(['generate', '--projects', projects, '--templates', TEMPLATES, '--out', out]);
    expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    if (errors.length > 0) {
      counted.refused++;
      expect(result.files.size).toBe(0);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('nothing was written');
      expect(readTree(out)).toEqual({});
      return;
    }
    counted.valid++;
    expect(run.code).toBe(0);
    const built = result.projects[0];
    for (const doc of Object.values(built.documents)) expect(foreignArns(doc, built.project.account)).toEqual([]);
    // What the CLI wrote is what the library made, byte for byte, and each is JSON.
    const written = readTree(out);
    expect(Object.keys(written).sort()).toEqual([...result.files.keys()].sort());
    for (const [file, text] of result.files) {
      expect(written[file]).toBe(text);
      expect(() => JSON.parse(text)).not.toThrow();
    }
  } finally {
    fs.rmSync(projects, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
}

describe('fuzzing the pipeline and the CLI', () => {
  it('random YAML structures', async () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('node'), { maxKeys: 4 })),
    })).node;
    const keys = fc.constantFrom('id', 'name', 'region', 'account', 'team', 'resources', 'serviceRole', 'crossAccountViewers', 'type', 'arn');
    const document = fc.oneof(value, fc.dictionary(keys, value, { maxKeys: 8 }), fc.record({ id: value, region: value, account: value, resources: fc.array(fc.dictionary(keys, value, { maxKeys: 4 }), { maxLength: 5 }) }));
    await fc.assert(
      fc.asyncProperty(document, async (doc) => judge('p.yaml', yaml.dump(doc, { skipInvalid: true }))),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('hostile strings in every field, written by a YAML writer and pasted raw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...PATHS), hostile), { minLength: 1, maxLength: 3 }), fc.boolean(), async (changes, raw) => {
        const doc = baseProject();
        for (const [at, text] of changes) setAt(doc, at, text);
        // Raw: the string pasted between quotes or bare, as a careless hand would, not escaped by a YAML writer.
        const text = raw ? yaml.dump(baseProject()).replace(/fuzz-repo/, String(changes[0][1])) : yaml.dump(doc);
        await judge('fuzz.yaml', text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("names that AWS allows, however odd, and free text in the project's name: valid policies", async () => {
    const names = fc.record({
      name: hostile,
      repo: fc.stringMatching(/^[\w.-]{1,100}$/),
      bucket: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
      fn: fc.stringMatching(/^[\w-]{1,64}$/),
      role: fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
      logs: fc.stringMatching(/^[\w.\-/#]{1,200}$/),
      user: fc.stringMatching(/^[\w+=,.@-]{1,64}$/),
    });
    await fc.assert(
      fc.asyncProperty(names, async (n) => {
        const doc = baseProject();
        doc.name = n.name;
        (doc.team as { user: string }[])[1].user = n.user;
        const resources = doc.resources as Record<string, string>[];
        [resources[0].name, resources[1].name, resources[2].name, resources[4].name, resources[5].name] = [n.repo, n.bucket, n.fn, n.role, n.logs];
        await judge('fuzz.yaml', yaml.dump(doc));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('random bytes as a file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => judge('bytes.yaml', bytes)),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
