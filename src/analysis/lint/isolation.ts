import { Problem } from '../../problems';
import { resourceMatches } from '../match';
import { SAMPLE_MEMBER, sampleArn } from './samples';
import { LintTarget } from './target';

const MEMBER = { 'aws:username': SAMPLE_MEMBER };

export interface IsolationProject {
  id: string;
  account: string;
  /** The project's policies; only these are reported on. */
  targets: LintTarget[];
  /** The project's resources, and what lives in them (stages, versions, log streams...), made concrete. */
  arns: string[];
}

/**
 * No statement of one project matches an ARN of another project of the same account, prefix collisions
 * included (abc and abc-x). ARNs that both projects hold (AWS's built-in deployment configurations, the
 * CodeStar transform) belong to neither and are left out. The account-wide service role reaches other
 * projects by design: a warning, not an error.
 */
export function isolationCheck(projects: IsolationProject[]): Problem[] {
  const out: Problem[] = [];
  const byAccount = new Map<string, IsolationProject[]>();
  for (const p of projects) byAccount.set(p.account, [...(byAccount.get(p.account) ?? []), p]);
  for (const group of byAccount.values()) {
    if (group.length < 2) continue;
    const index = group.flatMap((p) => p.arns.map((arn) => ({ arn, owner: p.id }))).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
    for (const project of group) {
      const own = new Set(project.arns);
      for (const target of project.targets) {
        const reported = new Set<string>();
        for (const statement of target.doc.Statement) {
          for (const pattern of statement.Resource) {
            if (pattern === '*') continue;
            const hit = candidates(index, pattern).find((c) => c.owner !== project.id && !own.has(c.arn) && resourceMatches(pattern, c.arn, MEMBER));
            if (!hit || reported.has(hit.owner)) continue;
            reported.add(hit.owner);
            const wide = target.role === 'serviceRole' && target.scope === 'account';
            out.push({
              code: 'isolation',
              severity: wide ? 'warning' : 'error',
              message: `${pattern} reaches ${hit.arn}, a resource of project ${hit.owner}`,
              hint: wide ? 'serviceRole scope: account reaches every CodeStar project of the account; scope: project does not.' : 'Name the resource exactly, or end the pattern at a separator ("name/*", "name:*") so that a longer name cannot match.',
              policy: target.file,
              sid: statement.Sid,
            });
          }
        }
      }
    }
  }
  return out;
}

/** The ARNs that share the pattern's literal prefix (up to its first wildcard or variable). */
function candidates(index: { arn: string; owner: string }[], pattern: string): { arn: string; owner: string }[] {
  const stop = pattern.search(/[*?]|\$\{/);
  const prefix = stop < 0 ? pattern : pattern.slice(0, stop);
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index[mid].arn < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: { arn: string; owner: string }[] = [];
  for (let i = lo; i < index.length && index[i].arn.startsWith(prefix); i++) out.push(index[i]);
  return out;
}

/** The ARNs of a project: its resources, and each resource pattern of its policies made concrete. */
export function projectArns(resourceArns: string[], targets: LintTarget[]): string[] {
  const patterns = targets.flatMap((t) => t.doc.Statement.flatMap((s) => s.Resource)).filter((r) => r !== '*' && !r.includes('${'));
  return [...new Set([...resourceArns, ...patterns.map(sampleArn)])].sort();
}
