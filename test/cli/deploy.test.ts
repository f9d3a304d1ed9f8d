import * as fs from 'fs';
import * as path from 'path';
import { fixtureCases, generateFixture, projectsFolder, projectYaml, ROOT, tempDir, TEMPLATES } from '../support/fixtures';
import { validateCloudFormation } from '../support/cfn-spec';
import { runCli } from '../support/run-cli';
import { cloudFormationTemplate } from '../../src/deploy/cloudformation';

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
