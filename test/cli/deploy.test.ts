import * as fs from 'fs';
import * as path from 'path';
import { fixtureCases, generateFixture, projectsFolder, projectYaml, ROOT, tempDir, TEMPLATES } from '../support/fixtures';
import { validateCloudFormation } from '../support/cfn-spec';
import { runCli } from '../support/run-cli';
import { cloudFormationTemplate } from '../../src/deploy/cloudformation';
import { terraformConfiguration, terraformLiteral } from '../../src/deploy/terraform';
import { checkTerraform } from '../support/terraform-check';

describe('generate --format cloudformation', () => {
  it.each(fixtureCases())('writes a template for %s that the CloudFormation resource specification accepts', (name) => {
    const built = generateFixture(name).projects[0];
    expect(validateCloudFormation(cloudFormationTemplate(built) as Parameters<typeof validateCloudFormation>[0])).toEqual([]);
  });

  it('the validator is not a rubber stamp: it refuses a wrong property, a missing one and a wrong type', () => {
    expect(validateCloudFormation({ AWSTemplateFormatVersion: '2010-09-09', Resources: { P: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocumnet: {} } } } })).toEqual([
      'P: PolicyDocument is required',
      'P: PolicyDocumnet is not a property',
    ]);
    expect(validateCloudFormation({ AWSTemplateFormatVersion: '2010-09-09', Resources: { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {}, Policies: [{ PolicyName: 1 }] } } } })).toEqual([
      'R.Policies[0]: PolicyDocument is required',
      'R.Policies[0].PolicyName: expected String',
    ]);
    expect(validateCloudFormation({ AWSTemplateFormatVersion: '2010-09-09', Resources: { X: { Type: 'AWS::IAM::Nope' } } })).toEqual(['X: unknown resource type AWS::IAM::Nope']);
  });

  it('attaches each part to the team, the viewer part to the cross-account role, and puts the service role policy inline', () => {
    const template = cloudFormationTemplate(generateFixture('cross-account').projects[0]) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(template.Resources.OwnerPolicy.Properties).toMatchObject({ ManagedPolicyName: 'CodeStar_cross-account_Owner', Users: ['owner1'] });
    expect(template.Resources.ViewerPolicy.Properties.Roles).toEqual([{ Ref: 'CrossAccountViewerRole' }]);
    expect(template.Resources.CrossAccountViewerRole.Properties).toMatchObject({ RoleName: 'CodeStar-cross-account-CrossAccountViewer' });
    expect(template.Resources.ServiceRole.Properties.Policies).toEqual([expect.objectContaining({ PolicyName: 'service-role' })]);
    const packed = cloudFormationTemplate(generateFixture('every-type').projects[0]) as { Resources: Record<string, unknown> };
    expect(Object.keys(packed.Resources).filter((k) => k.startsWith('OwnerPolicy'))).toEqual(['OwnerPolicy', 'OwnerPolicy2', 'OwnerPolicy3']);
  });

  it('writes cloudformation.template.json next to the policies', async () => {
    const out = tempDir('out-');
    const run = await runCli(['generate', '--format', 'cloudformation', '--projects', path.join(ROOT, 'projects'), '--templates', TEMPLATES, '--out', out]);
    expect(run.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'my-first-projec', 'cloudformation.template.json'), 'utf8')).Resources.ServiceRole.Type).toBe('AWS::IAM::Role');
    const plain = tempDir('out-');
    await runCli(['generate', '--projects', projectsFolder({ 'pp.yaml': projectYaml('pp') }), '--templates', TEMPLATES, '--out', plain]);
    expect(fs.existsSync(path.join(plain, 'pp', 'cloudformation.template.json'))).toBe(false);
  });
});

describe('generate --format terraform', () => {
  type Config = Parameters<typeof checkTerraform>[0];

  it.each(fixtureCases())('writes a configuration for %s that HashiCorp\'s HCL parser reads back as itself', async (name) => {
    expect(await checkTerraform(terraformConfiguration(generateFixture(name).projects[0]) as Config)).toEqual([]);
  });

  it("escapes the policies' own ${aws:username}, which Terraform would otherwise read as an interpolation", async () => {
    const config = terraformConfiguration(generateFixture('my-first-projec').projects[0]) as Config;
    const owner = config.resource.aws_iam_policy.owner.policy;
    expect(owner).toContain('user/$${aws:username}');
    expect(owner.replace(/\$\$\{/g, '${')).toBe(JSON.stringify(generateFixture('my-first-projec').projects[0].documents.owner));
    const unescaped = { resource: { aws_iam_policy: { owner: { ...config.resource.aws_iam_policy.owner, policy: owner.replace('$${aws:username}', '${aws:username}') } } } };
    expect((await checkTerraform(unescaped)).join()).toMatch(/parse config/);
  });

  it('attaches each policy to the team and the cross-account role, and references resources by expression', () => {
    const config = terraformConfiguration(generateFixture('cross-account').projects[0]) as Config;
    expect(config.resource.aws_iam_user_policy_attachment.owner_owner1).toEqual({ user: 'owner1', policy_arn: '${aws_iam_policy.owner.arn}' });
    expect(config.resource.aws_iam_role_policy_attachment.viewer_cross_account_viewer).toEqual({ role: '${aws_iam_role.cross_account_viewer.name}', policy_arn: '${aws_iam_policy.viewer.arn}' });
    expect(config.resource.aws_iam_role_policy.service_role_1.role).toBe('${aws_iam_role.service_role.id}');
    expect(terraformLiteral('a ${b} %{c}')).toBe('a $${b} %%{c}');
  });

  it('writes terraform.tf.json next to the policies', async () => {
    const out = tempDir('out-');
    const run = await runCli(['generate', '--format', 'terraform', '--projects', path.join(ROOT, 'projects'), '--templates', TEMPLATES, '--out', out]);
    expect(run.code).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(out, 'my-first-projec', 'terraform.tf.json'), 'utf8')).resource)).toEqual([
      'aws_iam_policy',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_iam_user_policy_attachment',
      'aws_iam_role_policy_attachment',
    ]);
  });
});
