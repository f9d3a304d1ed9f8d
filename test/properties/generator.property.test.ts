import fc from 'fast-check';
import { generateYaml } from '../support/fixtures';
import { expand } from '../support/iam-oracle';

/**
 * What must hold for every input: determinism, JSON validity, no foreign partition, account or region,
 * no escape from a JSON string, and a Viewer that only reads.
 */
const REGIONS = [
  ['us-east-2', 'aws'],
  ['eu-west-1', 'aws'],
  ['cn-north-1', 'aws-cn'],
  ['cn-northwest-1', 'aws-cn'],
  ['us-gov-west-1', 'aws-us-gov'],
] as const;

// One entry per type; each is written either typed or as the ARN it resolves to.
function entries(id: string, region: string, partition: string, account: string): [string, string][] {
  const arn = (service: string, rest: string, withRegion = true, withAccount = true) =>
    `arn:${partition}:${service}:${withRegion ? region : ''}:${withAccount ? account : ''}:${rest}`;
  return [
    [`{ type: codecommit-repository, name: ${id}-repo }`, `{ arn: "${arn('codecommit', `${id}-repo`)}" }`],
    [`{ type: codepipeline-pipeline, name: ${id}-pipe }`, `{ arn: "${arn('codepipeline', `${id}-pipe`)}" }`],
    [`{ type: codebuild-project, name: ${id}-build }`, `{ arn: "${arn('codebuild', `project/${id}-build`)}" }`],
    [`{ type: codedeploy-application, name: ${id}-app }`, `{ arn: "${arn('codedeploy', `application:${id}-app`)}" }`],
    [`{ type: codedeploy-deploymentgroup, application: ${id}-app, name: g1 }`, `{ arn: "${arn('codedeploy', `deploymentgroup:${id}-app/g1`)}" }`],
    [`{ type: lambda-function, name: ${id}-fn }`, `{ arn: "${arn('lambda', `function:${id}-fn`)}" }`],
    [`{ type: cloudformation-stack, name: awscodestar-${id} }`, `{ arn: "${arn('cloudformation', `stack/awscodestar-${id}/0f0e`)}" }`],
    [`{ type: s3-bucket, name: aws-codestar-${id}-pipe }`, `{ arn: "${arn('s3', `aws-codestar-${id}-pipe`, false, false)}" }`],
    [`{ type: iam-role, name: CodeStarWorker-${id} }`, `{ arn: "${arn('iam', `role/CodeStarWorker-${id}`, false)}" }`],
    [`{ type: cloud9-environment, id: 0123456789abcdef }`, `{ arn: "${arn('cloud9', 'environment:0123456789abcdef')}" }`],
    [`{ type: elasticbeanstalk-application, name: ${id}-web }`, `{ arn: "${arn('elasticbeanstalk', `application/${id}-web`)}" }`],
    [`{ type: elasticbeanstalk-environment, application: ${id}-web, name: ${id}-env }`, `{ arn: "${arn('elasticbeanstalk', `environment/${id}-web/${id}-env`)}" }`],
    [`{ type: ec2-instance, id: i-0123456789abcdef0 }`, `{ arn: "${arn('ec2', 'instance/i-0123456789abcdef0')}" }`],
    [`{ type: apigateway-restapi, id: a1b2c3d4e5 }`, `{ arn: "${arn('execute-api', 'a1b2c3d4e5')}" }`],
  ];
}

const project = fc
  .record({
    id: fc.stringMatching(/^[a-z][a-z0-9-]{1,14}$/),
    region: fc.constantFrom(...REGIONS),
    account: fc.stringMatching(/^\d{12}$/),
    picks: fc.uniqueArray(fc.record({ index: fc.integer({ min: 0, max: 13 }), asArn: fc.boolean() }), { selector: (p) => p.index, minLength: 1, maxLength: 14 }),
    scope: fc.constantFrom('project', 'account'),
  })
  .map(({ id, region: where, account, picks, scope }) => {
    const [region, partition]: readonly string[] = where;
    const all = entries(id, region, partition, account);
    const lines = picks.map((p) => all[p.index][p.asArn ? 1 : 0]);
    const yaml = (order: string[]) =>
      `id: ${id}\nregion: ${region}\naccount: "${account}"\nserviceRole:\n  scope: ${scope}\nteam:\n  - user: u1\n    role: owner\nresources:\n${order.map((l) => `  - ${l}\n`).join('')}`;
    return { id, region, partition, account, lines, yaml };
  });

const files = (id: string, yaml: string) => generateYaml({ [`${id}.yaml`]: yaml }).files;

describe('for every project', () => {
  it('output is byte-identical across runs, across resource order, and across typed or ARN form', () => {
    fc.assert(
      fc.property(project, fc.infiniteStream(fc.nat()), ({ id, lines, yaml }, seeds) => {
        const shuffled = [...lines].map((l) => [seeds.next().value, l] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
        const first = files(id, yaml(lines));
        expect(first.size).toBe(5);
        expect(files(id, yaml(lines))).toEqual(first);
        expect(files(id, yaml(shuffled))).toEqual(first);
      }),
      { numRuns: 40 },
    );
  });

  it('every document parses and names only its own partition, account and region', () => {
    fc.assert(
      fc.property(project, ({ id, region, partition, account, lines, yaml }) => {
        for (const [file, text] of files(id, yaml(lines))) {
          const doc = JSON.parse(text);
          if (file.endsWith('manifest.json')) continue;
          for (const statement of doc.Statement) {
            for (const resource of statement.Resource as string[]) {
              if (resource === '*') continue;
              const [, p, , r, a] = resource.split(':');
              expect(p).toBe(partition);
              // Global services (IAM, S3) have no region; AWS-owned resources (the CodeStar transform) say
              // "aws"; the account-wide service role keeps the seed's "*".
              expect(['', '*', region]).toContain(r);
              expect(['', '*', 'aws', account]).toContain(a);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it("gives Viewer only List and Read actions on the project's resources", async () => {
    await fc.assert(
      fc.asyncProperty(project, async ({ id, lines, yaml }) => {
        const viewer = JSON.parse(files(id, yaml(lines)).get(`${id}/viewer.json`)!);
        for (const statement of viewer.Statement) {
          if (statement.Sid === 'UserProfile') continue;
          for (const action of statement.Action) {
            for (const fact of await expand(action)) expect(fact.levels.filter((l: string) => l !== 'List' && l !== 'Read')).toEqual([]);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});

describe('for every project, and every pair of projects whose ids share a prefix', () => {
  it('lints clean: every check, lattice and isolation included, passes (generate runs them all)', () => {
    fc.assert(
      fc.property(project, fc.stringMatching(/^-[a-z0-9]{1,4}$/), (p, suffix) => {
        fc.pre(p.id.length <= 10);
        const otherId = `${p.id}${suffix}`;
        const otherYaml = p.yaml(entries(otherId, p.region, p.partition, p.account).map((e) => e[0])).replace(`id: ${p.id}\n`, `id: ${otherId}\n`);
        const result = generateYaml({ [`${p.id}.yaml`]: p.yaml(p.lines), [`${otherId}.yaml`]: otherYaml });
        expect(result.problems.filter((x) => x.severity === 'error')).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});

describe('for every input string', () => {
  // Characters that AWS's rule for an Elastic Beanstalk application name allows, JSON's specials among them.
  const nameChar = fc.constantFrom(...'abcXYZ019<>&\'`!#%()+,;=@[]^|~:é漢ß\u00a0'.split('').filter((c) => !/\s/.test(c)));

  it('never escapes its JSON string: the name reaches the ARN exactly', () => {
    fc.assert(
      fc.property(fc.array(nameChar, { minLength: 1, maxLength: 40 }).map((cs) => cs.join('')), fc.string({ maxLength: 60 }), (name, free) => {
        const yaml = `id: esc\nname: ${JSON.stringify(free)}\nregion: us-east-2\naccount: "111111111111"\nresources:\n  - type: elasticbeanstalk-application\n    name: ${JSON.stringify(name)}\n`;
        const out = files('esc', yaml);
        const owner = JSON.parse(out.get('esc/owner.json')!);
        const eb = owner.Statement.find((s: { Sid: string }) => s.Sid === 'ElasticBeanstalk');
        expect(eb.Resource).toContain(`arn:aws:elasticbeanstalk:us-east-2:111111111111:application/${name}`);
        expect(JSON.parse(out.get('esc/manifest.json')!).name).toBe(free);
      }),
      { numRuns: 100 },
    );
  });
});
