import { Problem } from '../problems';
import { Project, PROJECT_ROLES } from '../model/project';
import { readStatements } from '../policy/read-statements';
import { Statement } from '../policy/statement';
import { Render } from './handlebars-env';
import { TemplateSet } from './templates';
import { projectContext, projectView, ProjectView, resourceContext } from './view-model';

export const POLICY_KEYS = [...PROJECT_ROLES, 'serviceRole'] as const;
export type PolicyKey = (typeof POLICY_KEYS)[number];

export type RoleStatements = Record<PolicyKey, Statement[]>;

/**
 * Renders the project template and one resource template per resource, and gathers their statements
 * by policy. Template mistakes come back as Problems naming the template and the project.
 */
export function renderProject(project: Project, templates: TemplateSet): { view: ProjectView; statements: RoleStatements; problems: Problem[] } {
  const view = projectView(project, templates.types);
  const statements: RoleStatements = { owner: [], contributor: [], viewer: [], serviceRole: [] };
  const problems: Problem[] = [];
  const add = (file: string, render: Render, context: unknown, what: string) => {
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
    add(type.templateFile, type.render, resourceContext(resource, view), `resources[${resource.index}] (${resource.arn})`);
  }
  return { view, statements, problems };
}

/** Renders the account-wide service role template: a whole policy document. */
export function renderAccountServiceRole(project: Project, templates: TemplateSet, view: ProjectView): { statements: Statement[]; problems: Problem[] } {
  const file = templates.serviceRoleAccount.file;
  const result = renderJson(templates.serviceRoleAccount.render, projectContext(view));
  if ('error' in result) return { statements: [], problems: [templateProblem(file, project, 'the account service role', result.error)] };
  const doc = result.value as { Statement?: unknown } | null;
  const read = readStatements(doc && typeof doc === 'object' ? doc.Statement : undefined);
  if (read.error) return { statements: [], problems: [templateProblem(file, project, 'the account service role', `Statement: ${read.error}`, read.code)] };
  return { statements: read.statements, problems: [] };
}

function renderJson(render: Render, context: unknown): { value: unknown } | { error: string } {
  let text: string;
  try {
    text = render(context);
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0] };
  }
  try {
    return { value: JSON.parse(text) };
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
