/**
 * A deterministic synthetic workload: N projects of 5 to 15 resources each, drawn from every resource
 * type, the same for the same seed on every machine.
 */
import * as fs from 'fs';
import * as path from 'path';

/** mulberry32: a small, fast, seedable generator with the same sequence everywhere. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (next: () => number, n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join('');

/** One resource entry of each type, for project `id`, as YAML lines. */
const ENTRIES: ((id: string, n: number, next: () => number) => string)[] = [
  (id, n) => `{ type: codecommit-repository, name: ${id}-repo-${n} }`,
  (id, n) => `{ type: codepipeline-pipeline, name: ${id}-pipeline-${n} }`,
  (id, n) => `{ type: codebuild-project, name: ${id}-build-${n} }`,
  (id, n) => `{ type: codedeploy-application, name: ${id}-app-${n} }`,
  (id, n) => `{ type: codedeploy-deploymentgroup, application: ${id}-shared, name: group-${n} }`,
  (id, n) => `{ type: lambda-function, name: ${id}-fn-${n} }`,
  (id, n) => `{ type: cloudformation-stack, name: awscodestar-${id}-${n} }`,
  (id, n) => `{ type: s3-bucket, name: aws-codestar-${id}-${n} }`,
  (id, n) => `{ type: iam-role, name: CodeStarWorker-${id}-${n} }`,
  (_, __, next) => `{ type: cloud9-environment, id: "${hex(next, 32)}" }`,
  (id, n) => `{ type: elasticbeanstalk-application, name: ${id}-web-${n} }`,
  (id, n) => `{ type: elasticbeanstalk-environment, application: ${id}-web, name: ${id}-env-${n} }`,
  (_, __, next) => `{ type: ec2-instance, id: i-${hex(next, 17)} }`,
  (_, __, next) => `{ type: apigateway-restapi, id: "${hex(next, 10)}" }`,
  (id, n) => `{ type: codeartifact-domain, name: ${id}-d${n} }`,
  (id, n) => `{ type: codeartifact-repository, domain: ${id}-d, name: repo-${n} }`,
  (id, n) => `{ type: codeartifact-package, domain: ${id}-d, repository: repo, format: npm, name: pkg-${n} }`,
  (_, __, next) => `{ type: codeconnections-connection, id: "${hex(next, 8)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 4)}-${hex(next, 12)}" }`,
  (id, n) => `{ type: codeconnections-host, id: ${id}-host-${n} }`,
  (_, __, next) => `{ type: codestar-notifications-rule, id: "${hex(next, 40)}" }`,
  (id, n) => `{ type: sns-topic, name: ${id}-topic-${n} }`,
  (id, n) => `{ type: logs-log-group, name: /${id}/logs-${n} }`,
];

export const RESOURCE_TYPE_COUNT = ENTRIES.length;

/** The YAML of project number `index` of the workload. */
export function projectYaml(index: number, seed: number): string {
  const next = random(seed * 1_000_003 + index);
  const id = `p${index.toString(36)}`;
  const count = 5 + Math.floor(next() * 11);
  const lines = Array.from({ length: count }, (_, n) => `  - ${ENTRIES[Math.floor(next() * ENTRIES.length)](id, n, next)}`);
  const account = String(100000000000 + (index % 50));
  return `id: ${id}\nregion: us-east-2\naccount: "${account}"\nteam:\n  - user: ${id}-owner\n    role: owner\n  - user: ${id}-dev\n    role: contributor\nresources:\n${lines.join('\n')}\n`;
}

/** Writes the workload's project files into `dir` (emptied first). */
export function writeWorkload(dir: string, count: number, seed: number): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) fs.writeFileSync(path.join(dir, `p${i.toString(36)}.yaml`), projectYaml(i, seed));
}
