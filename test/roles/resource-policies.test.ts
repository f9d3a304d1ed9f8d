import { validateIdentityPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { generateFixture } from '../support/fixtures';

/** Resource-based policies as the seeds describe them, on the real output. */
describe('the artifact store policy (shared/seeds 002)', () => {
  const { files } = generateFixture('my-first-projec');
  const bucket = 'arn:aws:s3:::aws-codestar-us-east-2-111111111111-my-first-projec-pipe';
  const policy = JSON.parse(files.get('my-first-projec/resource-policies/s3-bucket-aws-codestar-us-east-2-111111111111-my-first-projec-pipe.json')!);

  it("is the seed's SSEAndSSLPolicy for the bucket", () => {
    expect(policy.Id).toBe('SSEAndSSLPolicy');
    expect(policy.Statement[0]).toEqual({
      Sid: 'DenyUnEncryptedObjectUploads',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${bucket}/*`,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
  });

  it('denies insecure transport with the string "false" (the seed writes a JSON false) and on the bucket too', () => {
    expect(policy.Statement[1]).toEqual({
      Sid: 'DenyInsecureConnections',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucket, `${bucket}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
  });

  it('is written only for a bucket marked artifactStore', () => {
    expect([...generateFixture('lambda-app').files.keys()].filter((f) => f.includes('resource-policies'))).toEqual([]);
  });
});

describe('the CodeArtifact resource policies', () => {
  const { files } = generateFixture('artifacts-app');
  const users = (...names: string[]) => ({ AWS: names.map((n) => `arn:aws:iam::111111111111:user/${n}`) });

  it('let every member of the team get a token from the domain', () => {
    const domain = JSON.parse(files.get('artifacts-app/resource-policies/codeartifact-domain-artifacts-app.json')!);
    expect(domain.Statement).toEqual([{ Sid: 'TeamTokens', Effect: 'Allow', Principal: users('ana', 'cem', 'vic'), Action: 'codeartifact:GetAuthorizationToken', Resource: '*' }]);
  });

  it('let every member read the repository, and Contributors and Owners publish', () => {
    const repository = JSON.parse(files.get('artifacts-app/resource-policies/codeartifact-repository-artifacts-app-releases.json')!);
    expect(repository.Statement.map((s: { Sid: string; Principal: unknown }) => [s.Sid, s.Principal])).toEqual([
      ['TeamRead', users('ana', 'cem', 'vic')],
      ['TeamPublish', users('ana', 'cem')],
    ]);
    expect(repository.Statement[1].Action).toEqual(['codeartifact:PublishPackageVersion', 'codeartifact:PutPackageMetadata']);
  });
});

describe('cross-account viewers (shared/seeds 002)', () => {
  const { files } = generateFixture('cross-account');
  const trust = JSON.parse(files.get('cross-account/cross-account/trust-policy.json')!);
  const assume = JSON.parse(files.get('cross-account/cross-account/assume-role-policy.json')!);
  const manifest = JSON.parse(files.get('cross-account/manifest.json')!);

  it("trust the viewer accounts to assume the role, as the seed's trust relationship does", () => {
    expect(trust.Statement).toEqual([{ Sid: 'TrustViewerAccounts', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] }, Action: 'sts:AssumeRole' }]);
    expect(validateTrustPolicy(trust)).toEqual([]);
  });

  it('give the viewer accounts a policy that may assume exactly that role', () => {
    expect(assume.Statement).toEqual([{ Sid: 'AssumeCrossAccountViewer', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111222333444:role/CodeStar-cross-account-CrossAccountViewer' }]);
    expect(validateIdentityPolicy(assume)).toEqual([]);
  });

  it('attach the Viewer policy, and only it, to the role', () => {
    const attached = manifest.policies.filter((p: { attachTo?: { iamRoles: string[] } }) => p.attachTo?.iamRoles.includes('CodeStar-cross-account-CrossAccountViewer'));
    expect(attached.map((p: { name: string }) => p.name)).toEqual(['CodeStar_cross-account_Viewer']);
    expect(manifest.crossAccountViewer).toEqual({ role: 'CodeStar-cross-account-CrossAccountViewer', trustedAccounts: ['111111111111', '222222222222'], policy: 'CodeStar_cross-account_Viewer' });
  });
});
