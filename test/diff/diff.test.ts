import * as fs from 'fs';
import * as path from 'path';
import { IamCatalog, iamData } from '../../src/analysis/iam-catalog';
import { expandAction } from '../../src/analysis/match';
import { generate } from '../../src/index';
import { partFile } from '../../src/policy/build-policies';
import { PolicyKey } from '../../src/render/render-project';
import { diffOutputs, DiffReport, unreadableOutput } from '../../src/diff/diff';
import { LINK } from '../../src/output/output-tree';
import { renderMarkdown } from '../../src/diff/render-report';
import { generateFixture, projectYaml, tempDir, TEMPLATES } from '../support/fixtures';

/**
 * Reports for the changes a pull request makes, as golden files (`UPDATE_GOLDEN=1` rewrites them), each
 * with the facts a reviewer relies on asserted as well.
 */
const update = process.env.UPDATE_GOLDEN === '1';
const catalog = iamData();

const base = `team:
  - user: alice
    role: owner
  - user: bob
    role: contributor
resources:
  - type: codecommit-repository
    name: web
  - type: codebuild-project
    name: web-build
  - type: iam-role
    name: CodeStarWorker-web-Build
`;

function outputs(yaml: string, templatesDir = TEMPLATES, iam: IamCatalog = catalog) {
  const result = generate({ projectsDir: writeProject(yaml), templatesDir, catalog: iam });
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return result;
}

function writeProject(yaml: string): string {
  const dir = tempDir('projects-');
  fs.writeFileSync(path.join(dir, 'web.yaml'), projectYaml('web', yaml));
  return dir;
}

function diffOf(beforeYaml: string, afterYaml: string, options: { templatesDir?: string; beforeCatalog?: IamCatalog; changedTemplates?: string[] } = {}): DiffReport {
  const before = outputs(beforeYaml, TEMPLATES, options.beforeCatalog ?? catalog);
  const after = outputs(afterYaml, options.templatesDir ?? TEMPLATES);
  return diffOutputs({ before: before.files, after: after.files, projects: after.projects, beforeCatalog: options.beforeCatalog ?? catalog, afterCatalog: catalog, changedTemplates: options.changedTemplates, base: 'main' });
}

function golden(name: string, report: DiffReport): void {
  const file = path.join(__dirname, 'golden', `${name}.md`);
  // Project files live in a temporary folder: name them as a reviewer would see them.
  const text = renderMarkdown(report).replace(/\/tmp\/projects-\w+\//g, 'projects/');
  if (update) fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}

const role = (report: DiffReport, name: string) => report.projects[0].roles.find((r) => r.role === name)!;

describe('diff reports', () => {
  it('adding a resource: every role gains on its ARN, Contributor\'s writes are risk, the YAML entry is named', () => {
    const report = diffOf(base, `${base}  - type: codebuild-project\n    name: web-tests\n`);
    golden('add-resource', report);
    const arn = 'arn:aws:codebuild:us-east-2:111111111111:project/web-tests';
    const contributor = role(report, 'contributor');
    expect(contributor.broadens && contributor.risk).toBe(true);
    expect(contributor.gained.filter((g) => g.risk).map((g) => g.action)).toContain('codebuild:StartBuild');
    expect(contributor.gained.every((g) => g.cause === `codebuild-project ${arn} added (${report.projects[0].causes[0].split('(')[1].slice(0, -1)})`)).toBe(true);
    expect(report.projects[0].causes[0]).toMatch(/^added codebuild-project arn:aws:codebuild:us-east-2:111111111111:project\/web-tests \(.*web\.yaml:16\)$/);
    expect(role(report, 'viewer').risk).toBe(false);
    expect(report.summary.lost).toBe(0);
  });

  it('removing a resource: every role loses, nothing broadens', () => {
    const report = diffOf(base, base.replace('  - type: codebuild-project\n    name: web-build\n', ''));
    golden('remove-resource', report);
    expect(report.summary).toMatchObject({ gained: 0, broadens: false });
    expect(role(report, 'owner').lost.map((g) => g.cause)).toContain('codebuild-project arn:aws:codebuild:us-east-2:111111111111:project/web-build removed');
  });

  it('renaming a resource: one loses what the other gains', () => {
    const report = diffOf(base, base.replace('name: web-build', 'name: web-builder'));
    golden('rename-resource', report);
    expect(report.projects[0].causes[0]).toMatch(/^renamed codebuild-project .*project\/web-build to .*project\/web-builder/);
    const viewer = role(report, 'viewer');
    expect(viewer.gained.map((g) => g.action).sort()).toEqual(viewer.lost.map((g) => g.action).sort());
  });

  it('a team change: who is in, and the service role\'s grant on the new member', () => {
    const report = diffOf(base, base.replace('resources:', '  - user: carol\n    role: viewer\nresources:'));
    golden('team-change', report);
    expect(report.projects[0].causes).toContain('team: user carol as viewer in');
    expect(role(report, 'serviceRole').gained.map((g) => [g.action, g.resource, g.cause])).toContainEqual(['iam:AttachUserPolicy', 'arn:aws:iam::111111111111:user/carol', 'team: user carol in']);
    expect(report.projects[0].roles.map((r) => r.role)).toEqual(['serviceRole']);
  });

  it('a template change: Viewer given codebuild:StartBuild broadens, with the template named', () => {
    const dir = tempDir('templates-');
    fs.cpSync(TEMPLATES, dir, { recursive: true });
    const file = path.join(dir, 'resources', 'codebuild-project.hbs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{{#*inline "read"}}"codebuild:BatchGet*", "codebuild:List*ForProject"{{/inline}}', '{{#*inline "read"}}"codebuild:BatchGet*", "codebuild:List*ForProject", "codebuild:StartBuild"{{/inline}}'));
    // Viewer holding a Write action fails lint; the diff of the outputs shows what the change would do.
    const before = outputs(base);
    const after = generate({ projectsDir: writeProject(base), templatesDir: dir });
    const rendered = new Map<string, string>();
    for (const built of after.projects) {
      for (const [k, parts] of Object.entries(built.parts)) parts.forEach((doc, i) => rendered.set(`web/${partFile(k as PolicyKey, i + 1)}`, `${JSON.stringify(doc, null, 2)}\n`));
    }
    rendered.set('web/manifest.json', before.files.get('web/manifest.json')!);
    const report = diffOutputs({ before: before.files, after: rendered, projects: after.projects, beforeCatalog: catalog, afterCatalog: catalog, changedTemplates: ['templates/resources/codebuild-project.hbs'], base: 'main' });
    golden('template-change', report);
    expect(role(report, 'viewer')).toMatchObject({ broadens: true, risk: true });
    expect(role(report, 'viewer').gained).toEqual([expect.objectContaining({ action: 'codebuild:StartBuild', cause: 'templates changed: templates/resources/codebuild-project.hbs', risk: 'a Write action' })]);
  });

  it('an IAM-data-only change: a wildcard that now matches a newly published action, said so and kept apart', () => {
    const report = diffOf(base, base, { beforeCatalog: without(catalog, 'codebuild:BatchGetSandboxes') });
    golden('iam-data-change', report);
    for (const r of report.projects[0].roles) {
      for (const g of r.gained) {
        expect(g.action).toBe('codebuild:BatchGetSandboxes');
        expect(g.cause).toMatch(/^IAM data: codebuild:(BatchGet)?\* now also matches codebuild:BatchGetSandboxes, newly published$/);
      }
      expect(r.structural).toEqual({ added: [], removed: [], changed: [] });
    }
    expect(report.summary.gained).toBeGreaterThan(0);
  });
});

describe('diff properties', () => {
  const variants = [base, `${base}  - type: lambda-function\n    name: web-fn\n`, base.replace('role: contributor', 'role: viewer'), base.replace('  - type: iam-role\n    name: CodeStarWorker-web-Build\n', '')];

  it.each(variants.map((v, i) => [i, v]))('diff(a, a) is empty (variant %i)', (_, yaml) => {
    const files = outputs(yaml as string).files;
    expect(diffOutputs({ before: files, after: files, projects: [], beforeCatalog: catalog, afterCatalog: catalog, base: 'a' }).projects).toEqual([]);
  });

  it('the grants diff(a, b) gains are the grants diff(b, a) loses', () => {
    const key = (g: { action: string; resource: string; condition?: string }) => `${g.action} ${g.resource} ${g.condition ?? ''}`;
    for (const a of variants) {
      for (const b of variants) {
        const [ta, tb] = [outputs(a).files, outputs(b).files];
        const forward = diffOutputs({ before: ta, after: tb, projects: [], beforeCatalog: catalog, afterCatalog: catalog, base: 'a' });
        const backward = diffOutputs({ before: tb, after: ta, projects: [], beforeCatalog: catalog, afterCatalog: catalog, base: 'b' });
        const gains = (r: DiffReport) => r.projects.flatMap((p) => p.roles.flatMap((x) => x.gained.map((g) => `${x.role} ${key(g)}`))).sort();
        const losses = (r: DiffReport) => r.projects.flatMap((p) => p.roles.flatMap((x) => x.lost.map((g) => `${x.role} ${key(g)}`))).sort();
        expect(gains(forward)).toEqual(losses(backward));
      }
    }
  });

  it('a rewrite that changes nothing effective shows no effective change: a wildcard replaced by exactly its actions', () => {
    const files = outputs(base).files;
    const viewer = JSON.parse(files.get('web/viewer.json')!);
    const build = viewer.Statement.find((s: { Sid: string }) => s.Sid === 'CodeBuild');
    build.Action = [...build.Action.filter((a: string) => a !== 'codebuild:BatchGet*'), ...expandAction('codebuild:BatchGet*', catalog).map((a) => a.action)];
    const rewritten = new Map(files).set('web/viewer.json', `${JSON.stringify(viewer, null, 2)}\n`);
    const report = diffOutputs({ before: files, after: rewritten, projects: [], beforeCatalog: catalog, afterCatalog: catalog, base: 'a' });
    expect(role(report, 'viewer')).toMatchObject({ gained: [], lost: [], broadens: false });
    expect(role(report, 'viewer').structural.changed[0].sid).toBe('CodeBuild');
  });
});

/** A fixture catalogue: IAM's data as it was before `action` was published. */
function without(inner: IamCatalog, action: string): IamCatalog {
  return {
    version: '0.0.0-fixture',
    actions: (service) => inner.actions(service)?.filter((a) => a.action !== action),
    resourceTypes: (service) => inner.resourceTypes(service),
  };
}

describe('the output files a diff reads', () => {
  const policy = (statement: object) => JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  const good = { Sid: 'S', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['*'] };

  it('reads what generate writes, and a policy part or a Deny as well', () => {
    const files = ['every-type', 'cross-account'].flatMap((name) => [...generateFixture(name).files]);
    expect(files.filter(([f]) => f.includes('/resource-policies/') || f.includes('/cross-account/')).length).toBeGreaterThan(2);
    for (const [file, text] of files) expect([file, unreadableOutput(file, text)]).toEqual([file, undefined]);
    expect(unreadableOutput('web/owner-2.json', policy({ ...good, Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': ['false'] } } }))).toBeUndefined();
  });

  it.each([
    ['web/viewer.json', policy({ ...good, Effect: 'allow' }), 'statement 1 has no Effect of Allow or Deny'],
    ['web/viewer.json', policy({ ...good, Resource: 'arn:aws:s3:::b' }), 'statement 1 has no Resource list (codestar-policy writes a list, even of one)'],
    ['web/viewer.json', policy({ ...good, Action: ['s3:GetObject', 7] }), 'statement 1 has no Action list (codestar-policy writes a list, even of one)'],
    ['web/service-role-3.json', policy({ ...good, Sid: 1 }), 'statement 1 has a Sid that is not a string'],
    ['web/owner.json', policy({ ...good, Condition: ['x'] }), 'statement 1 has a Condition that is not an object'],
    ['web/owner.json', JSON.stringify({ Statement: [null] }), 'statement 1 is not an object'],
    ['web/owner.json', '[]', 'it is not a policy document: it has no Statement list'],
    ['web/manifest.json', '"web"', 'it is not a manifest: it is not a JSON object'],
    ['web/manifest.json', JSON.stringify({ resources: [{ type: 'sns-topic' }] }), 'its resources are not a list of entries with a type and an ARN'],
    ['web/manifest.json', JSON.stringify({ team: [{ user: 'bob', role: 3 }] }), 'its team is not a list of members'],
    ['web/contributor.json', LINK, 'it is a symbolic link, and the diff reads no file through a link'],
  ])('%s %s: %s', (file, text, reason) => {
    expect(unreadableOutput(file, text)).toBe(reason);
  });

  it('does not read a resource policy, a cross-account policy or a deployable form', () => {
    for (const file of ['web/resource-policies/s3-bucket-b.json', 'web/cross-account/trust-policy.json', 'web/cloudformation.template.json']) {
      expect(unreadableOutput(file, 'not JSON')).toBeUndefined();
    }
  });
});
