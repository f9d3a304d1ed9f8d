import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ABSENT, compareWithOutput, LINK, readFolderAhead } from '../../src/output/output-tree';

/**
 * A project's folder read ahead (before the project is built, many at a time) must compare exactly as
 * the folder read file by file, whatever the folder holds.
 */
describe('comparing with a folder read ahead', () => {
  let root: string;
  let out: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ahead-'));
    out = path.join(root, 'output');
    fs.mkdirSync(out);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  // What a run would write: policies, a resource policy, and a deployable form (not a generated file name).
  const files: [string, string][] = [
    ['web/owner.json', 'owner\n'],
    ['web/viewer.json', 'viewer\n'],
    ['web/resource-policies/s3-bucket-b.json', 'bucket\n'],
    ['web/cloudformation.template.json', 'cfn\n'],
    ['web/manifest.json', 'manifest\n'],
  ];
  const put = (relative: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(out, relative)), { recursive: true });
    fs.writeFileSync(path.join(out, relative), text);
  };
  const elsewhere = () => {
    const target = path.join(root, 'elsewhere');
    fs.mkdirSync(target, { recursive: true });
    fs.writeFileSync(path.join(target, 'owner.json'), 'owner\n');
    fs.writeFileSync(path.join(target, 's3-bucket-b.json'), 'bucket\n');
    return target;
  };

  // Each one a part of a folder's state; the cases are every one alone and every pair.
  const parts: Record<string, () => void> = {
    'owner the same': () => put('web/owner.json', 'owner\n'),
    'viewer changed': () => put('web/viewer.json', 'other\n'),
    'an orphaned part': () => put('web/viewer-2.json', 'part\n'),
    'a file of the user': () => put('web/notes.txt', 'mine\n'),
    'the resource policy the same': () => put('web/resource-policies/s3-bucket-b.json', 'bucket\n'),
    'an orphaned resource policy': () => put('web/resource-policies/sns-topic-t.json', 'topic\n'),
    'an orphaned cross-account policy': () => put('web/cross-account/trust-policy.json', 'trust\n'),
    'the deployable form the same': () => put('web/cloudformation.template.json', 'cfn\n'),
    'the manifest a link': () => {
      fs.mkdirSync(path.join(out, 'web'), { recursive: true });
      fs.symlinkSync(path.join(elsewhere(), 'owner.json'), path.join(out, 'web', 'manifest.json'));
    },
    'resource-policies a link': () => {
      fs.mkdirSync(path.join(out, 'web'), { recursive: true });
      fs.symlinkSync(elsewhere(), path.join(out, 'web', 'resource-policies'));
    },
    'cross-account a file': () => put('web/cross-account', 'not a folder\n'),
  };
  const names = Object.keys(parts);
  // A generated folder that is a link or a file cannot also hold files.
  const replaced = (part: string) => / a (link|file)$/.test(part) && !part.startsWith('the manifest');
  const clash = (a: string, b: string) => ['resource', 'cross-account'].some((word) => a.includes(word) && b.includes(word) && (replaced(a) || replaced(b)));
  const cases: string[][] = [[], ...names.map((n) => [n]), ...names.flatMap((a, i) => names.slice(i + 1).filter((b) => !clash(a, b)).map((b) => [a, b]))];

  it.each(cases.map((c) => [c.join(' + ') || 'nothing there', c]))('%s', (_, chosen) => {
    for (const name of chosen as string[]) parts[name]();
    const fileByFile = compareWithOutput(out, 'web', files);
    expect(compareWithOutput(out, 'web', files, readFolderAhead(out, 'web'))).toEqual(fileByFile);
  });

  it('reads a plain folder whole, in path order, a link as LINK; nothing there as ABSENT', () => {
    expect(readFolderAhead(out, 'web')).toBe(ABSENT);
    parts['owner the same']();
    parts['an orphaned resource policy']();
    parts['a file of the user']();
    parts['the manifest a link']();
    parts['the deployable form the same']();
    expect([...(readFolderAhead(out, 'web') as Map<string, string>)]).toEqual([
      ['web/manifest.json', LINK],
      ['web/owner.json', 'owner\n'],
      ['web/resource-policies/sns-topic-t.json', 'topic\n'],
    ]);
    // ...and what it read is what the comparison goes by, for the generated files.
    const ahead = new Map([['web/owner.json', 'owner\n']]);
    expect(compareWithOutput(out, 'web', files, ahead)).toEqual({
      changed: [],
      missing: ['web/viewer.json', 'web/resource-policies/s3-bucket-b.json', 'web/manifest.json'],
      orphaned: [],
      unchanged: ['web/owner.json', 'web/cloudformation.template.json'],
    });
  });

  it('leaves a folder that is not plain to be read file by file', () => {
    fs.symlinkSync(elsewhere(), path.join(out, 'web'));
    expect(readFolderAhead(out, 'web')).toBeUndefined();
    fs.rmSync(path.join(out, 'web'));
    parts['resource-policies a link']();
    expect(readFolderAhead(out, 'web')).toBeUndefined();
    fs.rmSync(path.join(out, 'web'), { recursive: true });
    put('web', 'a file\n');
    expect(readFolderAhead(out, 'web')).toBeUndefined();
  });
});
