import * as fs from 'fs';
import * as path from 'path';
import { lint } from '../../src/index';
import { generateYaml, projectsFolder, projectYaml, tempDir, TEMPLATES } from '../support/fixtures';
import { sampleArn } from '../support/policies';

/**
 * No statement of one project reaches another project's resources, prefix collisions included:
 * project abc names its resources abc..., project abc-x names them abc-x..., and CodeStar's own
 * awscodestar-<id>-* patterns would let abc reach abc-x.
 */
function everyType(id: string): string {
  return projectYaml(
    id,
    `team:
  - user: ${id}-owner
    role: owner
resources:
  - { type: codecommit-repository, name: ${id} }
  - { type: codepipeline-pipeline, name: ${id} }
  - { type: codebuild-project, name: ${id} }
  - { type: codedeploy-application, name: ${id} }
  - { type: codedeploy-deploymentgroup, application: ${id}, name: ${id} }
  - { type: lambda-function, name: ${id} }
  - { type: cloudformation-stack, name: awscodestar-${id} }
  - { type: s3-bucket, name: aws-codestar-${id} }
  - { type: iam-role, name: CodeStarWorker-${id} }
  - { type: elasticbeanstalk-application, name: ${id} }
  - { type: elasticbeanstalk-environment, application: ${id}, name: ${id}-env }
`,
  );
}

/** IAM's matching, written here independently: * any run of characters, ? one, case-sensitive. */
function matches(pattern: string, arn: string): boolean {
  const regex = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${regex}$`).test(arn);
}

const result = generateYaml({ 'abc.yaml': everyType('abc'), 'abc-x.yaml': everyType('abc-x') });
const byId = new Map(result.projects.map((p) => [p.project.id, p]));

/** The ARNs a project holds, with what lives inside them: stages, versions, objects, log streams... */
function arnsOf(id: string): string[] {
  const built = byId.get(id)!;
  const named = Object.values(built.documents).flatMap((d) => d.Statement.flatMap((s) => s.Resource));
  return [...new Set([...built.project.resources.map((r) => r.arn), ...named.filter((r) => r !== '*').map(sampleArn)])].filter((arn) => arn.includes(id));
}

describe.each([
  ['abc', 'abc-x'],
  ['abc-x', 'abc'],
])('project %s', (id, other) => {
  it('generates', () => {
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  it.each(['owner', 'contributor', 'viewer', 'serviceRole'] as const)(`%s reaches no resource of project ${other}`, (role) => {
    const foreign = arnsOf(other).filter((arn) => !arnsOf(id).includes(arn));
    expect(foreign.length).toBeGreaterThan(10);
    const reached = byId
      .get(id)!
      .documents[role].Statement.flatMap((s) => s.Resource.filter((r) => r !== '*').flatMap((r) => foreign.filter((arn) => matches(r, arn)).map((arn) => `${s.Sid}: ${r} matches ${arn}`)));
    expect(reached).toEqual([]);
  });
});

describe('the isolation check', () => {
  it('would catch a CodeStar-style prefix pattern', () => {
    expect(matches('arn:aws:cloudformation:us-east-2:111111111111:stack/awscodestar-abc*', 'arn:aws:cloudformation:us-east-2:111111111111:stack/awscodestar-abc-x/1')).toBe(true);
  });
});

describe('the isolation check over a run', () => {
  // A template that writes CodeStar's kind of pattern for the owner: the repository's name and anything after it.
  const templatesDir = tempDir('templates-');
  fs.cpSync(TEMPLATES, templatesDir, { recursive: true });
  const repository = path.join(templatesDir, 'resources', 'codecommit-repository.hbs');
  fs.writeFileSync(repository, fs.readFileSync(repository, 'utf8').replace('{ "Sid": "CodeCommit", "Action": ["codecommit:*"], "Resource": ["{{arn}}"] }', '{ "Sid": "CodeCommit", "Action": ["codecommit:*"], "Resource": ["{{arn}}*"] }'));
  const repo = (id: string) => projectYaml(id, `resources:\n  - { type: codecommit-repository, name: ${id} }\n  - { type: codebuild-project, name: ${id} }\n`);
  const projectsDir = projectsFolder({ 'abc.yaml': repo('abc'), 'abc-x.yaml': repo('abc-x') });
  const isolation = async (targets?: string[]) =>
    (await lint({ projectsDir, templatesDir, outDir: 'output', targets })).problems.filter((p) => p.code === 'isolation').map((p) => `${p.severity} ${p.policy}: ${p.message}`);
  const found = 'error output/abc/owner.json: arn:aws:codecommit:us-east-2:111111111111:abc* reaches arn:aws:codecommit:us-east-2:111111111111:abc-x, a resource of project abc-x';

  it("finds one project's pattern that reaches another's resource, from what each project's record keeps", async () => {
    expect(await isolation()).toEqual([found]);
  });

  it('finds it too when the other project is only a neighbour of the run, and reports nothing of a neighbour', async () => {
    expect(await isolation(['abc'])).toEqual([found]);
    expect(await isolation(['abc-x'])).toEqual([]);
  });
});
