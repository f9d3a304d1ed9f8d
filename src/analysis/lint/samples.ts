import { PolicyDocument } from '../../policy/statement';

/** The member a policy variable stands for when a check needs a concrete request. */
export const SAMPLE_MEMBER = 'member';

/**
 * A concrete ARN for a resource pattern: `*` and `?` become sample text, `${aws:username}` the sample
 * member. `stack/web/*` stands for a stack; `pipe/*` for a stage of the pipeline.
 */
export function sampleArn(pattern: string): string {
  return pattern.replace(/\$\{[^}]*\}/g, SAMPLE_MEMBER).replace(/\*/g, 'sample').replace(/\?/g, 's');
}

/** Every concrete ARN that a set of policies names, `*` left out. */
export function sampleArns(docs: Iterable<PolicyDocument>): string[] {
  const out = new Set<string>();
  for (const doc of docs) for (const s of doc.Statement) for (const r of s.Resource) if (r !== '*') out.add(sampleArn(r));
  return [...out].sort();
}
