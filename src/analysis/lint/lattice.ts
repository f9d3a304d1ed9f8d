import { Problem } from '../../problems';
import { PolicyDocument, Statement } from '../../policy/statement';
import { firstWildcardAt, globMatch } from '../../policy/glob';
import { listId, registerMemo } from '../../policy/list-memo';
import { compiled, CompiledStatement } from '../evaluate';
import { ActionInfo, IamCatalog } from '../iam-catalog';
import { serviceFieldEnd } from '../../policy/pattern-index';
import { actionTakes, arnServiceField, mayBeOfService, resourceTypesOf } from '../resource-types';
import { isServiceWildcard, namedServices } from '../match';
import { SAMPLE_MEMBER, sampleArns } from './samples';
import { LintContext, LintTarget } from './target';

type Context = Record<string, string>;

/**
 * Viewer within Contributor within Owner, by evaluation: every action of every service the three
 * policies involve (from IAM's data), against every ARN the project's policies name (made concrete) and
 * a neighbour of each, and `*` for actions that may name no resource. One counter-example is enough.
 *
 * The requests are not built one by one. For a resource and a context, the statements that match them
 * do not depend on the action, so each role's grants there are the union of those statements' action
 * sets, one bit per action of the service. A counter-example is an action the resource's types take that
 * is in the smaller role's union and not in the larger's. The first one, in the order (service, action,
 * resource, context), is reported: the one that evaluating every request in that order would find first.
 *
 * Before any search, a cheaper proof is tried: each statement of the smaller role within statements of
 * the larger (`containedStatementwise`). It holds for every generated project; the search runs when it
 * does not, so that a failure still gets its counter-example.
 */
export function latticeCheck(targets: { viewer: LintTarget; contributor: LintTarget; owner: LintTarget }, resourceArns: string[], { catalog }: LintContext): Problem[] {
  const roles = [targets.viewer, targets.contributor, targets.owner];
  const services = servicesOf(roles.map((t) => t.doc));
  let space: RequestSpace | undefined;
  const out: Problem[] = [];
  for (const [smaller, larger] of [
    [0, 1],
    [1, 2],
  ] as const) {
    // Most often each statement of the smaller role is plainly within the larger's: nothing to search.
    if (containedStatementwise(roles[smaller].doc, roles[larger].doc, services, catalog)) continue;
    space ??= new RequestSpace(roles, resourceArns, catalog);
    const hit = space.firstCounterExample(smaller, larger);
    if (!hit) continue;
    const [s, l] = [space.targets[smaller], space.targets[larger]];
    const name = (t: LintTarget) => t.role[0].toUpperCase() + t.role.slice(1);
    out.push({
      code: 'lattice',
      severity: 'error',
      message: `${name(s)} allows ${hit.action} on ${hit.resource}${contextText(hit.context)} (statement ${hit.sid}), but ${name(l)} does not`,
      hint: `Every grant of ${name(s)} must also be ${name(l)}'s: add it to the ${l.role} statements of the template, or take it from ${s.role}.`,
      policy: s.file,
      sid: hit.sid,
    });
  }
  return out;
}

/**
 * A proof that the smaller policy allows nothing the larger does not, for every request: each Allow
 * statement's actions, on each of its resource patterns, are granted by Allow statements of the larger
 * whose patterns cover that pattern and whose conditions are some of its own (so hold whenever its do).
 * Sound, not complete: false sends the pair to the search, which finds a counter-example or none.
 * The search reads Allow statements only, so Deny is left out here too.
 */
export function containedStatementwise(smaller: PolicyDocument, larger: PolicyDocument, services: string[], catalog: IamCatalog): boolean {
  const exact = new Map<string, number[]>();
  const prefixes: { prefix: string; k: number }[] = [];
  const globs: { pattern: string; k: number }[] = [];
  larger.Statement.forEach((t, k) => {
    if (t.Effect !== 'Allow') return;
    for (const q of t.Resource) {
      const list = exact.get(q);
      if (list) list.push(k);
      else exact.set(q, [k]);
      if (q.includes('${')) continue;
      const star = q.indexOf('*');
      if (star === q.length - 1 && !q.includes('?')) prefixes.push({ prefix: q.slice(0, star), k });
      else if (star >= 0 || q.includes('?')) globs.push({ pattern: q, k });
    }
  });
  for (const s of smaller.Statement) {
    if (s.Effect !== 'Allow') continue;
    const wanted: { service: string; actions: readonly ActionInfo[]; set: ActionSet }[] = [];
    // A pattern whose service part is literal matches that service's actions only (patternBits).
    const named = namedServices(s.Action);
    for (const service of named.some(isServiceWildcard) ? services : named.filter((n) => services.includes(n))) {
      const actions = catalog.actions(service);
      const set = actions && actionBits(s.Action, service, actions, catalog);
      if (set) wanted.push({ service, actions: actions!, set });
    }
    if (wanted.length === 0) continue;
    for (const p of s.Resource) {
      // A variable resolves to other text: only a prefix before it is literal.
      const literal = p.includes('${') ? p.indexOf('${') : p.length;
      const concrete = literal === p.length && firstWildcardAt(p) === p.length;
      const covering = new Set(exact.get(p));
      for (const { prefix, k } of prefixes) if (prefix.length <= literal && p.startsWith(prefix)) covering.add(k);
      if (concrete) for (const { pattern, k } of globs) if (globMatch(pattern, p)) covering.add(k);
      const grants = [...covering].map((k) => larger.Statement[k]).filter((t) => conditionsWithin(t.Condition, s.Condition));
      for (const { service, actions, set } of wanted) {
        const held = grants.map((t) => actionBits(t.Action, service, actions, catalog)).filter((x): x is ActionSet => x !== undefined);
        if (set.ones.every((i) => held.some((h) => h.bits[i]))) continue;
        // Not all held: the actions that cannot act on what the pattern matches do not count, as in the search.
        const field = literalServiceField(p, literal);
        if (field !== undefined && !mayBeOfService(field, service, catalog)) continue;
        if (!concrete) return false;
        const takes = takesTypes(service, resourceTypesOf(p, service, catalog), actions, catalog);
        if (takes && !set.ones.every((i) => !takes.bits[i] || held.some((h) => h.bits[i]))) return false;
      }
    }
  }
  return true;
}

/** The ARN pattern's service field, when all up to the colon after it is literal text (then every ARN it matches has it). */
function literalServiceField(pattern: string, literal: number): string | undefined {
  const end = serviceFieldEnd(pattern);
  if (end < 0 || end >= literal || /[*?]/.test(pattern.slice(0, end))) return undefined;
  return arnServiceField(pattern);
}

/** The services the policies' actions name (a wildcard in the name gives a name IAM knows nothing of). */
function servicesOf(docs: PolicyDocument[]): string[] {
  const services = new Set<string>();
  for (const d of docs) for (const s of d.Statement) for (const service of namedServices(s.Action)) services.add(service);
  return [...services].sort();
}

/** Is every condition of `outer` (operator, key and values) also one of `inner`'s? Then it holds wherever inner's does. */
function conditionsWithin(outer: Statement['Condition'], inner: Statement['Condition']): boolean {
  if (!outer) return true;
  return Object.entries(outer).every(([operator, keys]) =>
    Object.entries(keys).every(([key, values]) => inner?.[operator]?.[key] !== undefined && JSON.stringify(inner[operator][key]) === JSON.stringify(values)),
  );
}

interface CounterExample {
  action: string;
  resource: string;
  context: Context;
  sid: string;
}

/** The requests of the three roles' lattice: services, resources (concrete ARNs and `*`), contexts. */
class RequestSpace {
  private readonly services: string[];
  private readonly resources: string[];
  /** Each resource's ARN service field (all are concrete ARNs, but `*`). */
  private readonly fields: string[];
  private readonly contexts: Context[];
  private readonly statements: CompiledStatement[][];
  /** The Allow statements that carry a condition, of any of the three: their actions are tried in every context. */
  private readonly conditional: Statement[];
  /** Per role, statement, resource and context: do the statement's resource and condition match? 0 unknown, 1 no, 2 yes. */
  private readonly matched: Uint8Array;
  private readonly width: number;
  private readonly taken = new Map<number, ActionSet | undefined>();
  private readonly grants = new Map<string, { index: number; sid: string; set: ActionSet }[]>();

  constructor(
    readonly targets: LintTarget[],
    resourceArns: string[],
    private readonly catalog: IamCatalog,
  ) {
    const docs = targets.map((t) => t.doc);
    this.services = servicesOf(docs);
    const own = [...new Set([...resourceArns, ...sampleArns(docs)])];
    // A neighbour of each ARN (`function:fn` and `function:fn-outsider`): a role that reaches past the
    // project, through "*" or a prefix, shows as a counter-example on it.
    this.resources = [...own, ...own.map((arn) => `${arn}-outsider`), '*'];
    this.fields = this.resources.map(arnServiceField);
    this.contexts = conditionContexts(docs);
    this.statements = docs.map((d) => compiled(d));
    this.conditional = docs.flatMap((d) => d.Statement.filter((s) => s.Effect === 'Allow' && s.Condition));
    this.width = Math.max(...docs.map((d) => d.Statement.length));
    this.matched = new Uint8Array(3 * this.width * this.resources.length * this.contexts.length);
  }

  firstCounterExample(smaller: number, larger: number): CounterExample | undefined {
    for (const [n, service] of this.services.entries()) {
      const actions = this.catalog.actions(service);
      if (!actions) continue;
      const small = this.grantsIn(smaller, service, actions);
      if (small.length === 0) continue;
      const large = this.grantsIn(larger, service, actions);
      // The actions a conditional statement may grant: only they are tried in the other contexts.
      const conditional = union(this.conditional.map((s) => actionBits(s.Action, service, actions, this.catalog)), actions.length);
      let best: { index: number; resource: number; context: number; sid: string } | undefined;
      for (let r = 0; r < this.resources.length; r++) {
        const takes = this.takes(n, r, actions);
        if (!takes) continue;
        const contexts = conditional && conditional.ones.some((i) => takes.bits[i]) ? this.contexts.length : 1;
        for (let c = 0; c < contexts; c++) {
          const inSmaller = small.filter((g) => this.matches(smaller, g.index, r, c));
          if (inSmaller.length === 0) continue;
          const inLarger = large.filter((g) => this.matches(larger, g.index, r, c));
          // The first action, no further than the best so far: a later one loses to it whatever its
          // resource and context, as (r, c) only grows.
          let first = best ? best.index : actions.length;
          let sid = '';
          for (const g of inSmaller) {
            for (const i of g.set.ones) {
              if (i >= first) break;
              if (!takes.bits[i] || (c > 0 && !conditional!.bits[i]) || inLarger.some((h) => h.set.bits[i])) continue;
              first = i;
              sid = g.sid;
              break;
            }
          }
          // Ties go to the statement first in the policy: the first of inSmaller that holds the action.
          if (sid) best = { index: first, resource: r, context: c, sid: inSmaller.find((g) => g.set.bits[first])!.sid };
        }
      }
      if (best) return { action: actions[best.index].action, resource: this.resources[best.resource], context: this.contexts[best.context], sid: best.sid };
    }
    return undefined;
  }

  /** The actions of service `n` that take resource `r`: asked for both pairs, computed once. */
  private takes(n: number, r: number, actions: readonly ActionInfo[]): ActionSet | undefined {
    const at = n * this.resources.length + r;
    if (!this.taken.has(at)) {
      const [service, resource] = [this.services[n], this.resources[r]];
      if (resource === '*') this.taken.set(at, takesNoResource(service, actions, this.catalog));
      else if (!mayBeOfService(this.fields[r], service, this.catalog)) this.taken.set(at, undefined);
      else this.taken.set(at, takesTypes(service, resourceTypesOf(resource, service, this.catalog), actions, this.catalog));
    }
    return this.taken.get(at);
  }

  /** The role's Allow statements that grant some action of the service, with those actions, in policy order. */
  private grantsIn(role: number, service: string, actions: readonly ActionInfo[]): { index: number; sid: string; set: ActionSet }[] {
    const key = `${role} ${service}`;
    let out = this.grants.get(key);
    if (!out) {
      out = [];
      for (const [index, s] of this.targets[role].doc.Statement.entries()) {
        const set = s.Effect === 'Allow' ? actionBits(s.Action, service, actions, this.catalog) : undefined;
        if (set) out.push({ index, sid: s.Sid, set });
      }
      this.grants.set(key, out);
    }
    return out;
  }

  /** Do the resource and condition of statement `k` of the role match resource `r` in context `c`? Asked once. */
  private matches(role: number, k: number, r: number, c: number): boolean {
    const at = ((role * this.width + k) * this.resources.length + r) * this.contexts.length + c;
    if (this.matched[at] === 0) {
      const s = this.statements[role][k];
      this.matched[at] = s.matchesResource(this.resources[r], this.contexts[c]) && s.conditionHolds(this.contexts[c]) ? 2 : 1;
    }
    return this.matched[at] === 2;
  }
}

/** A set of a service's actions: one byte per action, and the indexes of those in it, ascending. */
interface ActionSet {
  bits: Uint8Array;
  ones: number[];
}

function actionSet(bits: Uint8Array): ActionSet | undefined {
  const ones: number[] = [];
  for (let i = 0; i < bits.length; i++) if (bits[i]) ones.push(i);
  return ones.length ? { bits, ones } : undefined;
}

function union(sets: (ActionSet | undefined)[], size: number): ActionSet | undefined {
  const present = sets.filter((x): x is ActionSet => x !== undefined);
  if (present.length <= 1) return present[0];
  const bits = new Uint8Array(size);
  for (const x of present) for (const i of x.ones) bits[i] = 1;
  return actionSet(bits);
}

// Memos shared by every project of a run: templates write the same action lists, and the same resource
// types, into every project. Keyed by catalogue, so that a test's catalogue has its own.
const memo = new WeakMap<IamCatalog, Map<string, ActionSet | undefined>>();

function memoised(catalog: IamCatalog, key: string, make: () => ActionSet | undefined): ActionSet | undefined {
  let table = memo.get(catalog);
  if (!table) memo.set(catalog, (table = new Map()));
  if (!table.has(key)) {
    if (table.size >= 10_000) table.clear();
    table.set(key, make());
  }
  return table.get(key);
}

/** The actions of the service that one of the patterns matches; undefined when none does. */
function actionBits(patterns: string[], service: string, actions: readonly ActionInfo[], catalog: IamCatalog): ActionSet | undefined {
  // Keyed by the list's number (list-memo): the same lists come back in every project.
  let byList = actionMemo.get(catalog);
  if (!byList) actionMemo.set(catalog, (byList = new Map()));
  const id = listId(patterns);
  let forList = byList.get(id);
  if (!forList) {
    if (byList.size >= 10_000) byList.clear();
    byList.set(id, (forList = new Map()));
  }
  if (!forList.has(service)) forList.set(service, union(patterns.map((pattern) => patternBits(pattern, service, actions, catalog)), actions.length));
  return forList.get(service);
}

let actionMemo = new WeakMap<IamCatalog, Map<number, Map<string, ActionSet | undefined>>>();
registerMemo({ clear: () => (actionMemo = new WeakMap()) });

/** The same for one pattern: patterns are shared by far more statements than whole lists are. */
function patternBits(pattern: string, service: string, actions: readonly ActionInfo[], catalog: IamCatalog): ActionSet | undefined {
  const prefix = pattern.includes(':') ? pattern.slice(0, pattern.indexOf(':')) : '';
  if (prefix && !/[*?]/.test(prefix) && prefix.toLowerCase() !== service) return undefined;
  return memoised(catalog, `pattern\n${service}\n${pattern}`, () => {
    const [statement] = compiled({ Statement: [{ Effect: 'Allow', Action: [pattern], Resource: '*' }] });
    return actionSet(Uint8Array.from(actions, (info) => (statement.matchesAction(info.action) ? 1 : 0)));
  });
}

/** The actions of the service that take one of these resource types; undefined when none does. */
function takesTypes(service: string, types: string[], actions: readonly ActionInfo[], catalog: IamCatalog): ActionSet | undefined {
  if (types.length === 0) return undefined;
  return memoised(catalog, `types\n${service}\n${types.join('\n')}`, () => actionSet(Uint8Array.from(actions, (info) => (actionTakes(info, types) ? 1 : 0))));
}

/** The actions of the service that a request may make on no resource, only `*`. */
function takesNoResource(service: string, actions: readonly ActionInfo[], catalog: IamCatalog): ActionSet | undefined {
  return memoised(catalog, `star\n${service}`, () => actionSet(Uint8Array.from(actions, (info) => (info.resourceTypes.some((t) => t.required) ? 0 : 1))));
}

function contextText(context: Context): string {
  const keys = Object.entries(context).filter(([k]) => k !== 'aws:username');
  return keys.length ? ` with ${keys.map(([k, v]) => `${k}=${String(v)}`).join(', ')}` : '';
}

/** The request contexts to try: the member, and each value a condition of the policies tests for. */
function conditionContexts(docs: PolicyDocument[]): Context[] {
  const base = { 'aws:username': SAMPLE_MEMBER };
  const out: Context[] = [base];
  for (const doc of docs) {
    for (const s of doc.Statement) {
      for (const keys of Object.values(s.Condition ?? {})) {
        for (const [key, values] of Object.entries(keys)) for (const value of values) out.push({ ...base, [key]: String(value) });
      }
    }
  }
  const seen = new Set<string>();
  return out.filter((c) => {
    const key = JSON.stringify(c);
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
