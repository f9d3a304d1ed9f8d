import { Problem } from '../../problems';
import { literalStart, resourceMatches } from '../match';
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
  for (const p of projects) {
    const group = byAccount.get(p.account);
    if (group) group.push(p);
    else byAccount.set(p.account, [p]);
  }
  for (const group of byAccount.values()) {
    if (group.length < 2) continue;
    const index = arnIndex(group);
    for (const project of group) {
      const own = new Set(project.arns);
      // The roles of a project name mostly the same resources (three times over, in the benchmark's): each is looked up once.
      const foundFor = new Map<string, IndexedArn | undefined>();
      const reachedBy = (pattern: string) => {
        if (foundFor.has(pattern)) return foundFor.get(pattern);
        // An ARN the project holds too is no other project's, whoever else holds it.
        const found = candidates(index, literalStart(pattern, MEMBER)).find((c) => !own.has(c.arn) && resourceMatches(pattern, c.arn, MEMBER));
        foundFor.set(pattern, found);
        return found;
      };
      for (const target of project.targets) {
        const reported = new Set<string>();
        for (const statement of target.doc.Statement) {
          for (const pattern of statement.Resource) {
            if (pattern === '*') continue;
            const found = reachedBy(pattern);
            const hit = found && { arn: found.arn, owner: found.owners[0] };
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

/** Each ARN of an account's projects once, in code-point order, with the projects that hold it in the order given. */
interface IndexedArn {
  arn: string;
  owners: string[];
}

function arnIndex(group: IsolationProject[]): IndexedArn[] {
  const byArn = new Map<string, string[]>();
  for (const p of group) {
    for (const arn of p.arns) {
      const owners = byArn.get(arn);
      if (owners) owners.push(p.id);
      else byArn.set(arn, [p.id]);
    }
  }
  return [...byArn].map(([arn, owners]) => ({ arn, owners })).sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}

/**
 * The ARNs that begin with the pattern's literal start (variables resolved): the only ones it can
 * match. `user/${aws:username}` looks at one user's ARNs, not at every user of the account.
 */
function candidates(index: IndexedArn[], prefix: string | undefined): IndexedArn[] {
  if (prefix === undefined) return [];
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index[mid].arn < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: IndexedArn[] = [];
  for (let i = lo; i < index.length && index[i].arn.startsWith(prefix); i++) out.push(index[i]);
  return out;
}

/** The ARNs of a project: its resources, and each resource pattern of its policies made concrete. */
export function projectArns(resourceArns: string[], targets: LintTarget[]): string[] {
  const patterns = targets.flatMap((t) => t.doc.Statement.flatMap((s) => s.Resource)).filter((r) => r !== '*' && !r.includes('${'));
  return [...new Set([...resourceArns, ...patterns.map(sampleArn)])].sort();
}
