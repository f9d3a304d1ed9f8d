import { ArnFormat } from '../../src/resources/arn-format';

describe('ArnFormat', () => {
  const build = new ArnFormat('arn:${partition}:codebuild:${region}:${account}:project/${name}');

  it('builds an ARN from its fields', () => {
    expect(build.build({ partition: 'aws', region: 'us-east-2', account: '111111111111', name: 'b' })).toBe('arn:aws:codebuild:us-east-2:111111111111:project/b');
  });

  it('reads the fields back from an ARN of its shape', () => {
    expect(build.parse('arn:aws-cn:codebuild:cn-north-1:222222222222:project/my-build')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      account: '222222222222',
      fields: { name: 'my-build' },
    });
  });

  it('does not read an ARN of another shape', () => {
    expect(build.parse('arn:aws:codebuild:us-east-2:111111111111:report-group/x')).toBeUndefined();
    expect(build.parse('arn:aws:codecommit:us-east-2:111111111111:project/x')).toBeUndefined();
  });

  it('treats a literal * in the format as any suffix, so a stack ARN with its id reads as the stack', () => {
    const stack = new ArnFormat('arn:${partition}:cloudformation:${region}:${account}:stack/${name}/*');
    expect(stack.parse('arn:aws:cloudformation:us-east-2:111111111111:stack/web/5f0b0f10-1a2b-11ee-9c3d-0a1b2c3d4e5f')?.fields).toEqual({ name: 'web' });
  });

  it('knows formats without a region or account (S3, IAM)', () => {
    const bucket = new ArnFormat('arn:${partition}:s3:::${name}');
    expect(bucket.hasRegion).toBe(false);
    expect(bucket.hasAccount).toBe(false);
    expect(new ArnFormat('arn:${partition}:iam::${account}:role/${name}').hasAccount).toBe(true);
  });
});
