import { serviceFieldEnd } from '../policy/pattern-index';
import { ActionInfo, IamCatalog } from './iam-catalog';

/**
 * A single character (`char`), one of any (`one`) or one of anything but `:` (`segment`); or a run of
 * any characters (`star`), or of anything but `:` (`segments`).
 */
type Token = { kind: 'char'; value: string } | { kind: 'one' } | { kind: 'segment' } | { kind: 'star' } | { kind: 'segments' };

/**
 * The resource types of `service` whose ARNs a policy's resource pattern can match: those whose ARN
 * format and the pattern have some ARN in common. `log-group:/aws/lambda/f:*` can match a log group and
 * its log streams; `arn:aws:s3:::b/*` objects (and, loosely, buckets).
 */
export function resourceTypesOf(pattern: string, service: string, catalog: IamCatalog): string[] {
  // A project names each ARN in several roles and statements, each asked about once per service.
  let byService = memos.get(catalog);
  if (!byService) memos.set(catalog, (byService = new Map()));
  let byPattern = byService.get(service);
  if (!byPattern) byService.set(service, (byPattern = new Map()));
  let found = byPattern.get(pattern);
  if (found) return found;
  // A pattern whose literal service field no format of the service has: none, without a place in the
  // memo (most pairs asked are such).
  const end = serviceFieldEnd(pattern);
  if (end > 0 && !/[*?$]/.test(pattern.slice(0, end)) && !mayBeOfService(arnServiceField(pattern), service, catalog)) return NONE;
  // Bounded: a run over thousands of projects asks about millions of (service, ARN) pairs, most of
  // them one project's ARNs, asked again only while it is checked. A large project has some hundreds.
  if (byPattern.size >= MEMO_LIMIT) byPattern.clear();
  // A concrete ARN is answered directly: a look-up by its service field, then a few regular expressions.
  found = /[*?]|\$\{/.test(pattern) ? (typesOfPrefixPattern(pattern, service, catalog) ?? typesByIntersection(pattern, service, catalog)) : typesOfArn(pattern, service, catalog);
  byPattern.set(pattern, found);
  return found;
}

/**
 * Does the action act on this resource: does it take a resource type that the pattern can match?
 * The one answer to that question for lint, the lattice and the diff.
 */
export function actionActsOn(info: ActionInfo, resource: string, catalog: IamCatalog): boolean {
  return actionTakes(info, resourceTypesOf(resource, info.action.slice(0, info.action.indexOf(':')), catalog));
}

/** Does the action take one of these resource types (as `resourceTypesOf` names them)? */
export function actionTakes(info: ActionInfo, types: readonly string[]): boolean {
  let takes = actionTypes.get(info);
  if (!takes) actionTypes.set(info, (takes = info.resourceTypes.map((t) => normaliseTypeName(t.name))));
  return takes.some((t) => types.includes(t));
}

const MEMO_LIMIT = 2_000;
const memos = new WeakMap<IamCatalog, Map<string, Map<string, string[]>>>();
const actionTypes = new WeakMap<ActionInfo, string[]>();

/**
 * The general answer, for any pattern: the types whose ARN format and the pattern have an ARN in common.
 * Concrete ARNs take the faster `typesOfArn`; tests hold the two to the same answers.
 */
export function typesByIntersection(pattern: string, service: string, catalog: IamCatalog): string[] {
  const types = catalog.resourceTypes(service) ?? [];
  const tokens = tokenizePattern(pattern);
  const head = resourcePart(pattern).split(/[*?$]/)[0];
  return types
    .filter((t) =>
      t.arns.some((format) => {
        // Quick refusal: the literal starts of the two resource parts disagree (`project/` and `report/`).
        const lead = resourcePart(format).split('$')[0];
        const n = Math.min(lead.length, head.length);
        return lead.slice(0, n) === head.slice(0, n) && intersects(tokens, tokenizeFormat(format));
      }),
    )
    .map((t) => normaliseTypeName(t.name.split(':')[1]));
}

const NONE = Object.freeze([]) as unknown as string[];
/**
 * `lead`: how every ARN of the format starts its resource part (`project/` of a CodeBuild project), a
 * quick refusal before the regular expression; '' when its first five fields are not plain.
 */
type CompiledFormat = { type: string; order: number; regex: RegExp; prefixes: RegExp; lead: string };
const compiledFormats = new WeakMap<IamCatalog, Map<string, Map<string, CompiledFormat[]>>>();

/**
 * The types of a concrete ARN (no wildcard, no variable): a regular expression test against each
 * format whose service field is the ARN's, the same answer as `intersects` gives for such an ARN.
 */
function typesOfArn(arn: string, service: string, catalog: IamCatalog): string[] {
  const resource = resourcePart(arn);
  return typesWhere(service, arnServiceField(arn), catalog, (format) => resource.startsWith(format.lead) && format.regex.test(arn));
}

/**
 * The types of a pattern that is a literal start and one final `*` (`arn:aws:s3:::b/*`), when the start
 * spells its service field: the formats of some ARN that begins with that start. Undefined for any
 * other pattern, which takes the general intersection. The same answer, as a test checks.
 */
function typesOfPrefixPattern(pattern: string, service: string, catalog: IamCatalog): string[] | undefined {
  const star = pattern.indexOf('*');
  if (star !== pattern.length - 1 || pattern.includes('?') || pattern.includes('${')) return undefined;
  const start = pattern.slice(0, star);
  if (serviceFieldEnd(start) < 0) return undefined; // the service field is not complete
  return typesWhere(service, arnServiceField(start), catalog, (format) => format.prefixes.test(start));
}

/** The types of the formats with this service field (or none literal) that pass the test, each once, in IAM's order. */
function typesWhere(service: string, field: string, catalog: IamCatalog, test: (format: CompiledFormat) => boolean): string[] {
  const byArnService = formatsOf(service, catalog);
  const found: CompiledFormat[] = [];
  for (const candidates of [byArnService.get(field), byArnService.get('$')]) {
    for (const format of candidates ?? []) if (!found.some((f) => f.order === format.order) && test(format)) found.push(format);
  }
  return found.length === 0 ? NONE : found.sort((a, b) => a.order - b.order).map((f) => f.type);
}

function formatsOf(service: string, catalog: IamCatalog): Map<string, CompiledFormat[]> {
  let byService = compiledFormats.get(catalog);
  if (!byService) compiledFormats.set(catalog, (byService = new Map()));
  let byArnService = byService.get(service);
  if (!byArnService) byService.set(service, (byArnService = compileFormats(catalog.resourceTypes(service) ?? [])));
  return byArnService;
}

/** The service field of an ARN: `lambda` in `arn:aws:lambda:...`. */
export function arnServiceField(arn: string): string {
  const start = arn.indexOf(':', arn.indexOf(':') + 1) + 1;
  return start > 0 ? arn.slice(start, arn.indexOf(':', start) >>> 0) : '';
}

/**
 * Can a concrete ARN with this service field be of a type of `service`? A quick refusal before asking
 * for its types: most (ARN, service) pairs of a project are of different services.
 */
export function mayBeOfService(field: string, service: string, catalog: IamCatalog): boolean {
  const formats = formatsOf(service, catalog);
  return formats.has(field) || formats.has('$');
}

/** Each format as a regular expression, grouped by its literal service field (`$` when it has none). */
function compileFormats(types: readonly { name: string; arns: string[] }[]): Map<string, CompiledFormat[]> {
  const out = new Map<string, CompiledFormat[]>();
  for (const [order, t] of types.entries()) {
    for (const format of t.arns) {
      const field = format.split(':')[2] ?? '';
      const key = field.includes('$') ? '$' : field;
      const parts = format.split(/(\$\{[^}]*\})/).filter((part) => part !== '');
      const segment = (part: string) => ['${Partition}', '${Region}', '${Account}'].includes(part);
      const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      const source = parts.map((part) => (part.startsWith('${') ? (segment(part) ? '[^:]+' : '.*') : escape(part))).join('');
      // Every start of an ARN of the format: it may stop anywhere, in a literal or in a placeholder.
      // Built from the end: each piece either is where the start stops, or is whole and the rest follows.
      const prefixes = parts.reduceRight((rest, part) => {
        if (part.startsWith('${')) return segment(part) ? `(?:[^:]*|[^:]+${rest})` : '.*';
        return [...part].reduceRight((inner, ch) => `(?:|${escape(ch)}${inner})`, rest);
      }, '');
      // Where the first five fields are literal or one colon-free segment each, an ARN of the format
      // has its fifth colon where the format has it, and its resource part starts as the format's does.
      const fields = format.split(':');
      const plain = fields.length > 5 && fields.slice(0, 5).every((f) => !f.includes('$') || segment(f));
      const lead = plain ? fields.slice(5).join(':').split('$')[0] : '';
      const compiled = { type: normaliseTypeName(t.name.split(':')[1]), order, regex: new RegExp(`^${source}$`, 's'), prefixes: new RegExp(`^${prefixes}$`, 's'), lead };
      out.set(key, [...(out.get(key) ?? []), compiled]);
    }
  }
  return out;
}

/** What follows `arn:partition:service:region:account:`. */
function resourcePart(arn: string): string {
  let at = 0;
  for (let i = 0; i < 5 && at >= 0; i++) at = arn.indexOf(':', at) + 1 || -1;
  return at > 0 ? arn.slice(at) : '';
}

/** IAM's data spells a type `capacityProvider` in one place and `capacityprovider` in another. */
function normaliseTypeName(name: string): string {
  return name.toLowerCase();
}

/** A policy pattern: `*` any run, `?` one character, a policy variable any non-empty text. */
function tokenizePattern(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '$' && pattern[i + 1] === '{' && pattern.indexOf('}', i) > 0) {
      i = pattern.indexOf('}', i);
      out.push({ kind: 'one' }, { kind: 'star' });
    } else if (c === '*') out.push({ kind: 'star' });
    else if (c === '?') out.push({ kind: 'one' });
    else out.push({ kind: 'char', value: c });
  }
  return out;
}

const formatCache = new Map<string, Token[]>();

/**
 * An ARN format of IAM's data. `${Partition}`, `${Region}` and `${Account}` are one colon-free segment;
 * other placeholders any text (AWS authorizes log-group actions on `log-group:NAME:*`, a colon inside
 * IAM's `${LogGroupName}`), even none (a CodeArtifact package without a namespace is
 * `package/<domain>/<repository>/<format>//<name>`, shared/seeds 003).
 */
function tokenizeFormat(format: string): Token[] {
  let out = formatCache.get(format);
  if (!out) {
    out = [];
    for (let i = 0; i < format.length; i++) {
      if (format[i] === '$' && format[i + 1] === '{') {
        const end = format.indexOf('}', i);
        const segment = ['Partition', 'Region', 'Account'].includes(format.slice(i + 2, end));
        i = end;
        out.push(...(segment ? ([{ kind: 'segment' }, { kind: 'segments' }] as Token[]) : ([{ kind: 'star' }] as Token[])));
      } else out.push({ kind: 'char', value: format[i] });
    }
    formatCache.set(format, out);
  }
  return out;
}

const isRun = (t: Token) => t.kind === 'star' || t.kind === 'segments';

/** Can two single-character tokens stand for the same character? A run stands for its character class. */
function compatible(x: Token, y: Token): boolean {
  const cls = (t: Token): Token => (t.kind === 'star' ? { kind: 'one' } : t.kind === 'segments' ? { kind: 'segment' } : t);
  const a = cls(x);
  const b = cls(y);
  if (a.kind === 'char' && b.kind === 'char') return a.value === b.value;
  if (a.kind === 'char') return b.kind === 'one' || a.value !== ':';
  if (b.kind === 'char') return a.kind === 'one' || b.value !== ':';
  return true;
}

/** Is there a string that both token lists match? A search over positions (i, j), runs included. */
function intersects(a: Token[], b: Token[]): boolean {
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  const width = b.length + 1;
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const key = i * width + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    if (ta && isRun(ta)) stack.push([i + 1, j]); // the run ends here
    if (tb && isRun(tb)) stack.push([i, j + 1]);
    if (!ta || !tb) continue;
    if (isRun(ta) && !isRun(tb) && compatible(ta, tb)) stack.push([i, j + 1]); // a's run takes b's character
    if (isRun(tb) && !isRun(ta) && compatible(tb, ta)) stack.push([i + 1, j]);
    if (!isRun(ta) && !isRun(tb) && compatible(ta, tb)) stack.push([i + 1, j + 1]);
  }
  return false;
}
