import { Problem } from '../problems';
import { Project, PROJECT_ROLES, ResolvedResource } from '../model/project';
import { readStatements } from '../policy/read-statements';
import { Statement } from '../policy/statement';
import { Render } from './handlebars-env';
import { TemplateSet } from './templates';
import { projectContext, projectView, ProjectView, resourceContext } from './view-model';

export const POLICY_KEYS = [...PROJECT_ROLES, 'serviceRole'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export type RoleStatements = Record<PolicyKey, Statement[]>;

/** A resource-based policy a template renders for its resource, e.g. an artifact bucket's. */
export interface ResourcePolicy {
  /** File name under resource-policies/: the type and the resource's fields, e.g. `s3-bucket-artifacts.json`. */
  file: string;
  resource: string;
  doc: Record<string, unknown>;
}

/**
 * Renders the project template and one resource template per resource, and gathers their statements
 * by policy. Template mistakes come back as Problems naming the template and the project.
 */
export function renderProject(
  project: Project,
  templates: TemplateSet,
): { view: ProjectView; statements: RoleStatements; resourcePolicies: ResourcePolicy[]; problems: Problem[] } {
  const view = projectView(project, templates.types);
  const statements: RoleStatements = { owner: [], contributor: [], viewer: [], serviceRole: [] };
  const resourcePolicies: ResourcePolicy[] = [];
  const problems: Problem[] = [];
  const add = (file: string, render: Render, context: unknown, what: string, resource?: ResolvedResource) => {
    const result = renderJson(render, context);
    if ('error' in result) {
      problems.push(templateProblem(file, project, what, result.error));
      return;
    }
    const doc = result.value;
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
      problems.push(templateProblem(file, project, what, `it must render a JSON object with keys ${POLICY_KEYS.join(', ')}`));
      return;
    }
    for (const [k, raw] of Object.entries(doc)) {
      if (k === 'resourcePolicy' && resource) {
        const error = resourcePolicyShape(raw);
        if (error) problems.push(templateProblem(file, project, what, `resourcePolicy: ${error}`));
        else resourcePolicies.push({ file: resourcePolicyFile(resource), resource: resource.arn, doc: raw as Record<string, unknown> });
        continue;
      }
      if (!(POLICY_KEYS as readonly string[]).includes(k)) {
        problems.push(templateProblem(file, project, what, `unknown key ${JSON.stringify(k)}; the keys are ${POLICY_KEYS.join(', ')}`));
        continue;
      }
      const read = readStatements(raw);
      if (read.error) problems.push(templateProblem(file, project, what, `${k}: ${read.error}`, read.code));
      else statements[k as PolicyKey].push(...read.statements);
    }
  };
  add(templates.project.file, templates.project.render, projectContext(view), 'the project');
  for (const resource of project.resources) {
    const type = templates.types.get(resource.type);
    if (!type) continue; // validation already reported it
    add(type.templateFile, type.render, resourceContext(resource, view), `resources[${resource.index}] (${resource.arn})`, resource);
  }
  return { view, statements, resourcePolicies: resourcePolicies.sort((a, b) => (a.file < b.file ? -1 : 1)), problems };
}

/**
 * Renders the account-wide service role template: a whole policy document. `key` is equal for equal
 * renderings: most projects of a run render the same, so it keys the work that follows.
 */
export function renderAccountServiceRole(project: Project, templates: TemplateSet, view: ProjectView): { statements: Statement[]; key?: string; problems: Problem[] } {
  const file = templates.serviceRoleAccount.file;
  const result = renderJson(templates.serviceRoleAccount.render, projectContext(view));
  if ('error' in result) return { statements: [], problems: [templateProblem(file, project, 'the account service role', result.error)] };
  const doc = result.value as { Statement?: unknown } | null;
  const read = readStatements(doc && typeof doc === 'object' ? doc.Statement : undefined);
  if (read.error) return { statements: [], problems: [templateProblem(file, project, 'the account service role', `Statement: ${read.error}`, read.code)] };
  return { statements: read.statements, key: result.key(), problems: [] };
}

/** `s3-bucket-artifacts.json`: the type, then the resource's string fields in order, safe as a file name. */
function resourcePolicyFile(resource: ResolvedResource): string {
  const parts = [resource.type, ...Object.values(resource.fields).filter((v): v is string => typeof v === 'string')];
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.json`;
}

/** A resource-based policy: Statement, each with Effect, Principal, Action and Resource. */
function resourcePolicyShape(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'it must be a policy document';
  const statements = (raw as { Statement?: unknown }).Statement;
  if (!Array.isArray(statements) || statements.length === 0) return 'it needs a non-empty Statement list';
  for (const [i, s] of statements.entries()) {
    const missing = ['Effect', 'Principal', 'Action', 'Resource'].find((k) => (s as Record<string, unknown>)?.[k] === undefined);
    if (missing) return `statement ${i + 1} has no ${missing}`;
  }
  return undefined;
}

export interface CrossAccountPolicies {
  trustPolicy: Record<string, unknown>;
  assumePolicy: Record<string, unknown>;
}

/** The cross-account viewer role's trust policy, and the policy the viewer accounts attach. */
export function renderCrossAccount(project: Project, templates: TemplateSet, view: ProjectView): { policies?: CrossAccountPolicies; problems: Problem[] } {
  if (project.crossAccountViewers.length === 0) return { problems: [] };
  const file = templates.crossAccountViewer.file;
  const result = renderJson(templates.crossAccountViewer.render, projectContext(view));
  if ('error' in result) return { problems: [templateProblem(file, project, 'the cross-account viewer', result.error)] };
  const doc = result.value as Partial<CrossAccountPolicies> | null;
  if (!hasStatements(doc?.trustPolicy) || !hasStatements(doc?.assumePolicy)) {
    return { problems: [templateProblem(file, project, 'the cross-account viewer', 'it must render trustPolicy and assumePolicy, each a policy document with statements')] };
  }
  return { policies: doc as CrossAccountPolicies, problems: [] };
}

/** A policy document with at least one statement. */
function hasStatements(policy: unknown): boolean {
  const statements = (policy as { Statement?: unknown } | undefined)?.Statement;
  return Array.isArray(statements) && statements.length > 0;
}

/**
 * JSON.parse of what the template renders, and a key equal for equal renderings. By the template's
 * shapes where it allows; else (and for every mistake, so that its message is Handlebars' own) by
 * Handlebars' text.
 */
function renderJson(render: Render, context: unknown): { value: unknown; key: () => string } | { error: string } {
  const shaped = render.shaped?.render(context);
  if (shaped) return { value: shaped.value, key: () => `shape:${shaped.key()}` };
  let text: string;
  try {
    text = render(context);
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
  try {
    return { value: JSON.parse(text), key: () => `text:${text}` };
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : 0;
    const line = text.slice(0, offset).split('\n').length;
    const excerpt = text.split('\n')[line - 1]?.trim() ?? '';
    return { error: `it rendered invalid JSON (${message}), at line ${line} of its output: ${excerpt}` };
  }
}

function templateProblem(file: string, project: Project, what: string, message: string, code = 'template-render'): Problem {
  return {
    code,
    severity: 'error',
    message: `rendering ${what} of project ${project.id}: ${message}`,
    hint: 'Fix the template: it must render a JSON object whose keys are owner, contributor, viewer and serviceRole, each a list of statements.',
    file,
  };
}
