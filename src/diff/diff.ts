import { IamCatalog } from '../analysis/iam-catalog';
import { expandAction } from '../analysis/match';
import { LINK, NOT_A_FILE } from '../output/output-tree';
import { BuiltProject, POLICY_FILES } from '../policy/build-policies';
import { PolicyDocument } from '../policy/statement';
import { POLICY_KEYS, PolicyKey } from '../render/render-project';
import { covered, Grant, grantsOf, riskOf } from './grants';
import { structuralDiff, StructuralDiff } from './structural';

export interface GrantChange extends Grant {
  /** The input change behind it. */
  cause: string;
  risk?: string;
}

export interface RoleDiff {
  role: PolicyKey;
  structural: StructuralDiff;
  gained: GrantChange[];
  lost: GrantChange[];
  broadens: boolean;
  risk: boolean;
}

export interface ProjectDiff {
  project: string;
  status: 'added' | 'removed' | 'changed';
  causes: string[];
  roles: RoleDiff[];
}

export interface DiffReport {
  version: 1;
  base: string;
  projects: ProjectDiff[];
  summary: { projects: number; gained: number; lost: number; broadens: boolean; risk: boolean };
}

export interface DiffInput {
  /** What was: output/ on disk, or as committed at a revision. `<id>/<file>` to text. */
  before: ReadonlyMap<string, string>;
  /** What the working tree generates now. */
  after: ReadonlyMap<string, string>;
  /** The projects generated now, to point at the YAML entry behind a change. */
  projects: readonly BuiltProject[];
  beforeCatalog: IamCatalog;
  afterCatalog: IamCatalog;
  /** Template files that changed since `base`, when known. */
  changedTemplates?: string[];
  base: string;
}

interface Manifest {
  iamData?: string;
  serviceRoleScope?: string;
  team?: Record<string, string>[];
  resources?: { type: string; arn: string }[];
}

/** A role's policy parts in a project's output, `owner.json`, `owner-2.json`...: the part's number in group 1. */
const partPattern = (role: PolicyKey) => new RegExp(`/${POLICY_FILES[role].replace(/\.json$/, '')}(?:-(\\d+))?\\.json$`);
const PART_PATTERNS = new Map(POLICY_KEYS.map((role) => [role, partPattern(role)]));

/** The manifest: with the policy parts, what the diff reads of a project's output. */
const READ_MANIFEST = /\/manifest\.json$/;

/**
 * Why the diff cannot read a file of the output as it was, when it cannot: a file this tool wrote and
 * someone changed, a link, a pipe. Undefined for a file it reads as it is, or does not read.
 */
export function unreadableOutput(file: string, text: string): string | undefined {
  const policy = [...PART_PATTERNS.values()].some((pattern) => pattern.test(file));
  if (!policy && !READ_MANIFEST.test(file)) return undefined;
  if (text === LINK) return 'it is a symbolic link, and the diff reads no file through a link';
  if (text === NOT_A_FILE) return 'it is not a file (a named pipe, a socket or a device)';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not JSON (${(error as Error).message.replace(/\n/g, '\\n')})`;
  }
  return policy ? policyShapeError(value) : manifestShapeError(value);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringList = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');

/** A policy as this tool writes it: Statement, a list of statements with Effect, and Action and Resource lists. */
function policyShapeError(doc: unknown): string | undefined {
  if (!isObject(doc) || !Array.isArray(doc.Statement)) return 'it is not a policy document: it has no Statement list';
  for (const [i, s] of doc.Statement.entries()) {
    const at = `statement ${i + 1}`;
    if (!isObject(s)) return `${at} is not an object`;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `${at} has no Effect of Allow or Deny`;
    for (const key of ['Action', 'Resource']) if (!isStringList(s[key])) return `${at} has no ${key} list (codestar-policy writes a list, even of one)`;
    if (s.Sid !== undefined && typeof s.Sid !== 'string') return `${at} has a Sid that is not a string`;
    if (s.Condition !== undefined && !isObject(s.Condition)) return `${at} has a Condition that is not an object`;
  }
  return undefined;
}

/** A manifest as this tool writes it, as far as the diff reads it: its resources and team. */
function manifestShapeError(manifest: unknown): string | undefined {
  if (!isObject(manifest)) return 'it is not a manifest: it is not a JSON object';
  const { resources, team } = manifest;
  if (resources !== undefined && !(Array.isArray(resources) && resources.every((r) => isObject(r) && typeof r.type === 'string' && typeof r.arn === 'string'))) {
    return 'its resources are not a list of entries with a type and an ARN';
  }
  if (team !== undefined && !(Array.isArray(team) && team.every((t) => isObject(t) && Object.values(t).every((v) => typeof v === 'string')))) {
    return 'its team is not a list of members';
  }
  return undefined;
}

/** Who gains or loses which actions on which resources, and why. */
export function diffOutputs(input: DiffInput): DiffReport {
  const ids = [...new Set([...input.before.keys(), ...input.after.keys()].map((f) => f.split('/')[0]))].sort();
  const projects = ids.map((id) => diffProject(id, input)).filter((p): p is ProjectDiff => p !== undefined);
  const roles = projects.flatMap((p) => p.roles);
  return {
    version: 1,
    base: input.base,
    projects,
    summary: {
      projects: projects.length,
      gained: roles.reduce((n, r) => n + r.gained.length, 0),
      lost: roles.reduce((n, r) => n + r.lost.length, 0),
      broadens: roles.some((r) => r.broadens),
      risk: roles.some((r) => r.risk),
    },
  };
}

function diffProject(id: string, input: DiffInput): ProjectDiff | undefined {
  const files = (tree: ReadonlyMap<string, string>) => [...tree].filter(([f]) => f.startsWith(`${id}/`)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const before = files(input.before);
  const after = files(input.after);
  if (JSON.stringify(before) === JSON.stringify(after)) return undefined;
  const manifestOf = (list: [string, string][]): Manifest => JSON.parse(list.find(([f]) => READ_MANIFEST.test(f))?.[1] ?? '{}');
  const oldManifest = manifestOf(before);
  const newManifest = manifestOf(after);
  const explain = new Explainer(id, oldManifest, newManifest, input);
  const roles = POLICY_KEYS.map((role) => diffRole(role, partsOf(before, role), partsOf(after, role), explain, input)).filter(
    (r) => r.gained.length + r.lost.length + r.structural.added.length + r.structural.removed.length + r.structural.changed.length > 0,
  );
  return { project: id, status: before.length === 0 ? 'added' : after.length === 0 ? 'removed' : 'changed', causes: explain.causes(), roles };
}

/** A role's parts, in order: owner.json, owner-2.json... */
function partsOf(files: [string, string][], role: PolicyKey): PolicyDocument[] {
  const pattern = PART_PATTERNS.get(role)!;
  return files
    .map(([f, text]) => [pattern.exec(f), text] as const)
    .filter((e): e is [RegExpExecArray, string] => e[0] !== null)
    .sort((a, b) => Number(a[0][1] ?? 1) - Number(b[0][1] ?? 1))
    .map(([, text]) => JSON.parse(text) as PolicyDocument);
}

function diffRole(role: PolicyKey, before: PolicyDocument[], after: PolicyDocument[], explain: Explainer, input: DiffInput): RoleDiff {
  const oldStatements = before.flatMap((d) => d.Statement);
  const newStatements = after.flatMap((d) => d.Statement);
  // A grant is gained when no old statement covers it, or when its action is one the old IAM data did
  // not know (a wildcard that now matches a newly published action); lost, the other way round.
  const known = (catalog: IamCatalog, action: string) => expandAction(action, catalog).length > 0;
  const gained = grantsOf(after, input.afterCatalog).filter((g) => !covered(g, oldStatements) || !known(input.beforeCatalog, g.action));
  const lost = grantsOf(before, input.beforeCatalog).filter((g) => !covered(g, newStatements) || !known(input.afterCatalog, g.action));
  const annotate = (grants: Grant[], direction: 'gained' | 'lost'): GrantChange[] =>
    unique(grants).map((g) => {
      const risk = direction === 'gained' ? riskOf(g) : undefined;
      return { ...g, cause: explain.cause(g, direction), ...(risk ? { risk } : {}) };
    });
  const gains = annotate(gained, 'gained');
  return { role, structural: structuralDiff(before, after), gained: gains, lost: annotate(lost, 'lost'), broadens: gains.length > 0, risk: gains.some((g) => g.risk) };
}

function unique(grants: Grant[]): Grant[] {
  const seen = new Map<string, Grant>();
  for (const g of grants) if (!seen.has(`${g.action}|${g.resource}|${g.condition ?? ''}`)) seen.set(`${g.action}|${g.resource}|${g.condition ?? ''}`, g);
  return [...seen.values()].sort((a, b) => (a.service + a.action + a.resource < b.service + b.action + b.resource ? -1 : 1));
}

/** Names the input change behind an effect: a resource entry, a team member, IAM's data, a template. */
class Explainer {
  private readonly added: { type: string; arn: string }[];
  private readonly removed: { type: string; arn: string }[];
  private readonly joined: string[];
  private readonly left: string[];

  constructor(
    private readonly id: string,
    private readonly before: Manifest,
    private readonly after: Manifest,
    private readonly input: DiffInput,
  ) {
    const arns = (m: Manifest) => new Set((m.resources ?? []).map((r) => r.arn));
    this.added = (after.resources ?? []).filter((r) => !arns(before).has(r.arn));
    this.removed = (before.resources ?? []).filter((r) => !arns(after).has(r.arn));
    const members = (m: Manifest) => (m.team ?? []).map((t) => JSON.stringify(t));
    this.joined = members(after).filter((t) => !members(before).includes(t));
    this.left = members(before).filter((t) => !members(after).includes(t));
  }

  /** The project-level changes, each once. */
  causes(): string[] {
    const out: string[] = [];
    const renamed = this.renamed();
    for (const [from, to] of renamed) out.push(`renamed ${to.type} ${from.arn} to ${to.arn}${this.where(to.arn)}`);
    for (const r of this.added.filter((r) => !renamed.some(([, to]) => to === r))) out.push(`added ${r.type} ${r.arn}${this.where(r.arn)}`);
    for (const r of this.removed.filter((r) => !renamed.some(([from]) => from === r))) out.push(`removed ${r.type} ${r.arn}`);
    for (const t of this.joined) out.push(`team: ${member(t)} in`);
    for (const t of this.left) out.push(`team: ${member(t)} out`);
    if (this.before.iamData && this.after.iamData && this.before.iamData !== this.after.iamData) out.push(`IAM data ${this.before.iamData} -> ${this.after.iamData}`);
    if (this.input.changedTemplates?.length) out.push(`templates changed: ${this.input.changedTemplates.join(', ')}`);
    if (!this.before.resources) out.push('new project');
    if (!this.after.resources) out.push('project removed');
    return out;
  }

  cause(grant: Grant, direction: 'gained' | 'lost'): string {
    const catalog = direction === 'gained' ? this.input.beforeCatalog : this.input.afterCatalog;
    if (expandAction(grant.action, catalog).length === 0) {
      return direction === 'gained'
        ? `IAM data: ${grant.pattern} now also matches ${grant.action}, newly published`
        : `IAM data: ${grant.action} is no longer published`;
    }
    const entries = direction === 'gained' ? this.added : this.removed;
    const entry = entries.find((r) => mentions(grant.resource, r.arn));
    if (entry) return `${entry.type} ${entry.arn} ${direction === 'gained' ? 'added' : 'removed'}${direction === 'gained' ? this.where(entry.arn) : ''}`;
    const member = (direction === 'gained' ? this.joined : this.left).map((t) => JSON.parse(t) as Record<string, string>).find((t) => t.user && grant.resource.endsWith(`:user/${t.user}`));
    if (member) return `team: user ${member.user} ${direction === 'gained' ? 'in' : 'out'}`;
    if (this.input.changedTemplates?.length) return `templates changed: ${this.input.changedTemplates.join(', ')}`;
    return 'a template or generator change';
  }

  /** One removed and one added resource of the same type: a rename. */
  private renamed(): [{ type: string; arn: string }, { type: string; arn: string }][] {
    const out: [{ type: string; arn: string }, { type: string; arn: string }][] = [];
    for (const r of this.removed) {
      const sameType = (list: { type: string }[]) => list.filter((x) => x.type === r.type);
      if (sameType(this.removed).length === 1 && sameType(this.added).length === 1) out.push([r, sameType(this.added)[0] as { type: string; arn: string }]);
    }
    return out;
  }

  /** ` (projects/abc.yaml:23)`, where the resource is listed now. */
  private where(arn: string): string {
    const built = this.input.projects.find((p) => p.project.id === this.id);
    const resource = built?.project.resources.find((r) => r.arn === arn);
    if (!built || !resource) return '';
    return ` (${built.project.file}:${built.project.source.locate(['resources', resource.index]).line})`;
  }
}

function member(json: string): string {
  const t = JSON.parse(json) as Record<string, string>;
  return `${t.user ? `user ${t.user}` : `role ${t.iamRole}`} as ${t.role}`;
}

/**
 * Does a policy's resource pattern stand for (something in) this resource? Its name, the last part of
 * its ARN, must appear whole: `log-group:/aws/codebuild/web:*` stands for `project/web`.
 */
function mentions(pattern: string, arn: string): boolean {
  if (pattern === arn || pattern.startsWith(`${arn}/`) || pattern.startsWith(`${arn}:`)) return true;
  const name = arn.replace(/\/\*$/, '').split(/[/:]/).pop() ?? '';
  return name.length > 0 && new RegExp(`(^|[/:])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[/:])`).test(pattern);
}
