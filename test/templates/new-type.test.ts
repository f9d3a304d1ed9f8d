import * as fs from 'fs';
import * as path from 'path';
import { generate, loadTemplates } from '../../src/index';
import { projectSchema } from '../../src/model/schema';
import { projectsFolder, projectYaml, tempDir, TEMPLATES } from '../support/fixtures';

/**
 * Adding a resource type is one template file: no TypeScript changes. This type exists only in this
 * test's own template folder.
 */
const SQS = `---
type: sqs-queue
description: An Amazon SQS queue.
fields:
  name:
    description: the queue's name
    pattern: '^[A-Za-z0-9_-]{1,80}(\\.fifo)?$'
    rule: 1-80 letters, digits, '-' or '_', optionally ending in .fifo
arn: 'arn:\${partition}:sqs:\${region}:\${account}:\${name}'
passRoleTo: []
---
{
  "viewer": [ { "Sid": "Sqs", "Action": ["sqs:GetQueueAttributes"], "Resource": ["{{arn}}"] } ],
  "contributor": [ { "Sid": "Sqs", "Action": ["sqs:GetQueueAttributes", "sqs:SendMessage"], "Resource": ["{{arn}}"] } ],
  "owner": [ { "Sid": "Sqs", "Action": ["sqs:*"], "Resource": ["{{arn}}"] } ]
}
`;

function templatesWithSqs(): string {
  const dir = tempDir('templates-');
  fs.cpSync(TEMPLATES, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'resources', 'sqs-queue.hbs'), SQS);
  return dir;
}

describe('a resource type defined only by a template', () => {
  const templatesDir = templatesWithSqs();
  const projectsDir = projectsFolder({
    'queues.yaml': projectYaml('queues', 'resources:\n  - type: sqs-queue\n    name: orders\n  - arn: arn:aws:sqs:us-east-2:111111111111:payments.fifo\n'),
  });
  const result = generate({ projectsDir, templatesDir });

  it('renders into every role, in both its typed and ARN forms', () => {
    expect(result.problems).toEqual([]);
    const viewer = JSON.parse(result.files.get('queues/viewer.json')!);
    expect(viewer.Statement.find((s: { Sid: string }) => s.Sid === 'Sqs')).toEqual({
      Sid: 'Sqs',
      Effect: 'Allow',
      Action: ['sqs:GetQueueAttributes'],
      Resource: ['arn:aws:sqs:us-east-2:111111111111:orders', 'arn:aws:sqs:us-east-2:111111111111:payments.fifo'],
    });
    expect(result.files.get('queues/owner.json')).toContain('"sqs:*"');
  });

  it('is checked against its own naming rule', () => {
    const bad = generate({ projectsDir: projectsFolder({ 'queues.yaml': projectYaml('queues', 'resources:\n  - type: sqs-queue\n    name: "orders*"\n') }), templatesDir });
    expect(bad.problems[0]).toMatchObject({ code: 'name-invalid', line: 6, path: 'resources[0].name' });
  });

  it('appears in the JSON Schema', () => {
    const schema = JSON.stringify(projectSchema(loadTemplates(templatesDir).templates!.types.values()));
    expect(schema).toContain('"const":"sqs-queue"');
  });

  it('is unknown to the shipped templates', () => {
    const shipped = generate({ projectsDir, templatesDir: TEMPLATES });
    expect(shipped.problems.map((p) => p.code)).toEqual(['resource-type-unknown', 'arn-unknown-type']);
  });
});

describe('a broken template', () => {
  function withTemplate(name: string, text: string) {
    const dir = templatesWithSqs();
    fs.writeFileSync(path.join(dir, name), text);
    return generate({ projectsDir: projectsFolder({ 'queues.yaml': projectYaml('queues', 'resources:\n  - type: sqs-queue\n    name: orders\n') }), templatesDir: dir });
  }

  it('naming a missing field is an error, never an empty string', () => {
    const result = withTemplate('resources/sqs-queue.hbs', SQS.replace('{{arn}}"] } ],\n  "contributor"', '{{queueUrl}}"] } ],\n  "contributor"'));
    expect(result.files.size).toBe(0);
    expect(result.problems[0]).toMatchObject({ code: 'template-render', message: expect.stringContaining('"queueUrl" not defined') });
  });

  it('rendering invalid JSON is an error that quotes the line', () => {
    const result = withTemplate('resources/sqs-queue.hbs', SQS.replace('"Sid": "Sqs", "Action"', '"Sid": "Sqs" "Action"'));
    expect(result.problems[0]).toMatchObject({ code: 'template-render', file: expect.stringContaining('sqs-queue.hbs'), message: expect.stringContaining('invalid JSON') });
  });

  it('NotAction or NotResource is refused: with Allow it grants everything it does not name', () => {
    const result = withTemplate('resources/sqs-queue.hbs', SQS.replace('"Action": ["sqs:*"]', '"NotAction": ["sqs:DeleteQueue"]'));
    expect(result.files.size).toBe(0);
    expect(result.problems[0]).toMatchObject({ code: 'not-action', file: expect.stringContaining('sqs-queue.hbs'), message: expect.stringContaining('owner: statement 1 uses NotAction') });
  });

  it('a Handlebars syntax error is reported with the line in the file', () => {
    const result = withTemplate('resources/sqs-queue.hbs', SQS.replace('{{arn}}', '{{#if arn}}'));
    expect(result.problems[0]).toMatchObject({ code: 'template-syntax', file: expect.stringContaining('sqs-queue.hbs') });
  });

  it('front matter whose type is not the file name is refused', () => {
    const result = withTemplate('resources/sqs-queue.hbs', SQS.replace('type: sqs-queue', 'type: sqs'));
    expect(result.problems[0]).toMatchObject({ code: 'template-type-name', line: 2 });
  });
});

describe('two template folders in one process', () => {
  it("give each project the account-wide service role of its own folder, though both render the same values", () => {
    const edited = tempDir('templates-');
    fs.cpSync(TEMPLATES, edited, { recursive: true });
    const file = path.join(edited, 'service-role-account.hbs');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"Sid": "ProjectStack"', '"Sid": "EditedStack"'));
    const projectsDir = projectsFolder({ 'acct.yaml': projectYaml('acct', 'serviceRole:\n  scope: account\nresources:\n  - type: codecommit-repository\n    name: acct\n') });
    const sids = (templatesDir: string) => JSON.parse(generate({ projectsDir, templatesDir }).files.get('acct/service-role.json')!).Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids(TEMPLATES)).toContain('ProjectStack');
    expect(sids(edited)).toContain('EditedStack');
    expect(sids(TEMPLATES)).not.toContain('EditedStack');
  });
});
