/**
 * The lattice check as first written: every request built and evaluated one by one. Slow and plain, it
 * is the oracle that the set-based check in src/analysis/lint/lattice.ts must agree with.
 */
import { Problem } from '../../src/problems';
import { PolicyDocument } from '../../src/policy/statement';
import { allowingStatements, mayAllowAction, Request } from '../../src/analysis/evaluate';
import { ActionInfo } from '../../src/analysis/iam-catalog';
import { actionTakes, resourceTypesOf } from '../../src/analysis/resource-types';
import { SAMPLE_MEMBER, sampleArns } from '../../src/analysis/lint/samples';
import { LintContext, LintTarget } from '../../src/analysis/lint/target';

/**
 * Viewer within Contributor within Owner, by evaluation: every action of every service the three
 * policies involve (from IAM's data), against every ARN the project's policies name (made concrete) and
 * a neighbour of each, and `*` for actions that may name no resource. One counter-example is enough.
 */
export function referenceLatticeCheck(targets: { viewer: LintTarget; contributor: LintTarget; owner: LintTarget }, resourceArns: string[], { catalog }: LintContext): Problem[] {
  const docs = [targets.viewer.doc, targets.contributor.doc, targets.owner.doc];
  const requests = latticeRequests(docs, resourceArns, catalog);
  const out: Problem[] = [];
  for (const [smaller, larger] of [
    [targets.viewer, targets.contributor],
    [targets.contributor, targets.owner],
  ] as const) {
    const possible = new Map<string, boolean>();
    for (const request of requests) {
      if (!possible.has(request.action)) possible.set(request.action, mayAllowAction(smaller.doc, request.action));
      if (!possible.get(request.action)) continue;
      const granted = allowingStatements(smaller.doc, request);
      if (granted.length === 0 || allowingStatements(larger.doc, request).length > 0) continue;
      const name = (t: LintTarget) => t.role[0].toUpperCase() + t.role.slice(1);
      out.push({
        code: 'lattice',
        severity: 'error',
        message: `${name(smaller)} allows ${request.action} on ${request.resource}${contextText(request)} (statement ${granted[0].Sid}), but ${name(larger)} does not`,
        hint: `Every grant of ${name(smaller)} must also be ${name(larger)}'s: add it to the ${larger.role} statements of the template, or take it from ${smaller.role}.`,
        policy: smaller.file,
        sid: granted[0].Sid,
      });
      break;
    }
  }
  return out;
}

function contextText(request: Request): string {
  const keys = Object.entries(request.context ?? {}).filter(([k]) => k !== 'aws:username');
  return keys.length ? ` with ${keys.map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : '';
}

function latticeRequests(docs: PolicyDocument[], resourceArns: string[], catalog: LintContext['catalog']): Request[] {
  const services = new Set(docs.flatMap((d) => d.Statement.flatMap((s) => s.Action.map((a) => a.split(':')[0].toLowerCase()))));
  const own = [...new Set([...resourceArns, ...sampleArns(docs)])];
  // A neighbour of each ARN (`function:fn` and `function:fn-outsider`): a role that reaches past the
  // project, through "*" or a prefix, shows as a counter-example on it.
  const arns = [...own, ...own.map((arn) => `${arn}-outsider`)];
  const contexts = conditionContexts(docs);
  // Condition values matter only to the actions that a statement with a condition can grant.
  const conditional = docs.flatMap((d) => d.Statement.filter((s) => s.Condition)).map((s) => ({ Statement: [s] }));
  const requests: Request[] = [];
  for (const service of [...services].sort()) {
    // Each ARN's resource types for this service, looked up once for all its actions.
    const typed = arns.map((arn) => ({ arn, types: resourceTypesOf(arn, service, catalog) }));
    for (const info of catalog.actions(service) ?? []) {
      const tried = conditional.some((policy) => mayAllowAction(policy, info.action)) ? contexts : contexts.slice(0, 1);
      for (const resource of targetsOf(info, typed)) {
        for (const context of tried) requests.push({ action: info.action, resource, context });
      }
    }
  }
  return requests;
}

/**
 * The resources a real request for the action can name: those of a type it takes. (A pairing that lint
 * accepts for fidelity, such as codestar actions on the role's own policy ARN, is no request anyone makes.)
 */
function targetsOf(info: ActionInfo, typed: { arn: string; types: string[] }[]): string[] {
  const out = typed.filter(({ types }) => actionTakes(info, types)).map((t) => t.arn);
  if (!info.resourceTypes.some((t) => t.required)) out.push('*');
  return out;
}

/** The request contexts to try: the member, and each value a condition of the policies tests for. */
function conditionContexts(docs: PolicyDocument[]): Record<string, string>[] {
  const base = { 'aws:username': SAMPLE_MEMBER };
  const out: Record<string, string>[] = [base];
  for (const doc of docs) {
    for (const s of doc.Statement) {
      for (const keys of Object.values(s.Condition ?? {})) {
        for (const [key, values] of Object.entries(keys)) for (const value of values) out.push({ ...base, [key]: String(value) });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(JSON.stringify(c)) && seen.add(JSON.stringify(c)));
}
