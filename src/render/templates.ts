import * as fs from 'fs';
import * as path from 'path';
import { Problem, formatPath } from '../problems';
import { parseYaml, YamlSource } from '../model/yaml-source';
import { ArnFormat } from '../resources/arn-format';
import { FieldSpec, ResourceType } from '../resources/resource-type';
import { compileTemplate, Render } from './handlebars-env';

/**
 * A template folder:
 *   project.hbs               the project's own statements (CodeStar, user profiles, the service role's base)
 *   service-role-account.hbs  the account-wide service role policy (`serviceRole.scope: account`)
 *   cross-account-viewer.hbs  the trust and assume-role policies of the cross-account viewer role
 *   resources/<type>.hbs      one file per resource type: front matter (fields, ARN forms), then statements
 */
export interface TemplateSet {
  dir: string;
  project: CompiledTemplate;
  serviceRoleAccount: CompiledTemplate;
  crossAccountViewer: CompiledTemplate;
  types: Map<string, ResourceType & { render: Render }>;
}

export interface CompiledTemplate {
  file: string;
  render: Render;
}

const TYPE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const FIELD_NAME = /^[a-z][A-Za-z0-9]*$/;
const RESERVED_FIELDS = new Set(['type', 'arn', 'project', 'partition', 'region', 'account']);

export function loadTemplates(dir: string): { templates?: TemplateSet; problems: Problem[] } {
  const problems: Problem[] = [];
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return {
      problems: [
        {
          code: 'templates-missing',
          severity: 'error',
          message: `template folder ${dir} does not exist`,
          hint: 'Pass --templates with a folder holding project.hbs, service-role-account.hbs, cross-account-viewer.hbs and resources/.',
        },
      ],
    };
  }
  const [projectFile, serviceRoleAccountFile, crossAccountViewerFile, ...resourceFiles] = templateFiles(dir);
  const project = loadPlain(projectFile, problems);
  const serviceRoleAccount = loadPlain(serviceRoleAccountFile, problems);
  const crossAccountViewer = loadPlain(crossAccountViewerFile, problems);
  const types = new Map<string, ResourceType & { render: Render }>();
  for (const file of resourceFiles) {
    const type = loadResourceType(file, problems);
    if (type) types.set(type.name, type);
  }
  if (problems.length > 0 || !project || !serviceRoleAccount || !crossAccountViewer) return { problems };
  return { templates: { dir, project, serviceRoleAccount, crossAccountViewer, types }, problems };
}

/**
 * The files of a template folder that loadTemplates reads, in this order: project.hbs,
 * service-role-account.hbs, cross-account-viewer.hbs, then resources/*.hbs by name. What else the
 * folder holds is not read (the cache's fingerprint reads these, too).
 */
export function templateFiles(dir: string): string[] {
  const resourceDir = path.join(dir, 'resources');
  const resources = fs.existsSync(resourceDir) ? fs.readdirSync(resourceDir).filter((f) => f.endsWith('.hbs')).sort() : [];
  return [...['project.hbs', 'service-role-account.hbs', 'cross-account-viewer.hbs'].map((f) => path.join(dir, f)), ...resources.map((f) => path.join(resourceDir, f))];
}

function loadPlain(file: string, problems: Problem[]): CompiledTemplate | undefined {
  if (!fs.existsSync(file)) {
    problems.push({
      code: 'template-missing',
      severity: 'error',
      message: `template ${file} does not exist`,
      hint: 'Copy it from the templates/ folder that ships with codestar-policy.',
      file,
    });
    return undefined;
  }
  const render = compile(file, fs.readFileSync(file, 'utf8'), 0, problems);
  return render && { file, render };
}

function compile(file: string, source: string, lineOffset: number, problems: Problem[]): Render | undefined {
  try {
    return compileTemplate(source);
  } catch (error) {
    const message = (error as Error).message;
    const line = /line (\d+)/.exec(message);
    problems.push({
      code: 'template-syntax',
      severity: 'error',
      message: `Handlebars syntax error: ${message.split('\n')[0]}`,
      hint: 'Fix the template; see https://handlebarsjs.com/guide/ for the syntax.',
      file,
      line: line ? Number(line[1]) + lineOffset : undefined,
    });
    return undefined;
  }
}

function loadResourceType(file: string, problems: Problem[]): (ResourceType & { render: Render }) | undefined {
  const text = fs.readFileSync(file, 'utf8');
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  const fail = (code: string, message: string, hint: string, at?: { line: number; column: number }, field?: string) => {
    problems.push({ code, severity: 'error', message, hint, file, ...at, path: field });
    return undefined;
  };
  if (!match) {
    return fail(
      'template-front-matter',
      'a resource template starts with YAML front matter between two --- lines',
      'Start the file with ---, the type, its fields and arn, then --- and the statements.',
    );
  }
  const parsed = parseYaml(file, match[1]);
  if (!parsed.source) {
    problems.push(...parsed.problems.map((p) => ({ ...p, line: (p.line ?? 0) + 1 })));
    return undefined;
  }
  const meta = parsed.source;
  const at = (p: (string | number)[]) => {
    const pos = meta.locate(p);
    return { line: pos.line + 1, column: pos.column };
  };
  const value = meta.value as Record<string, unknown> | undefined;
  if (!value || typeof value !== 'object') {
    return fail('template-front-matter', 'front matter must be a mapping', 'Write type:, fields: and arn: keys.');
  }
  const typeName = value.type;
  const expected = path.basename(file, '.hbs');
  if (typeof typeName !== 'string' || !TYPE_NAME.test(typeName) || typeName !== expected) {
    return fail(
      'template-type-name',
      `type must be the file's name, ${expected}, in kebab-case`,
      `Write type: ${expected}, or rename the file to <type>.hbs.`,
      at(['type']),
      'type',
    );
  }
  const fields = readFields(meta, value.fields, problems);
  const arnList = typeof value.arn === 'string' ? [value.arn] : value.arn;
  if (!Array.isArray(arnList) || arnList.length === 0 || !arnList.every((a) => typeof a === 'string' && a.startsWith('arn:${partition}:'))) {
    return fail(
      'template-arn',
      'arn must be an ARN format (or a list of them) starting with arn:${partition}:',
      "For example: arn: 'arn:${partition}:codebuild:${region}:${account}:project/${name}'",
      at(['arn']),
      'arn',
    );
  }
  const arns = arnList.map((a: string) => new ArnFormat(a));
  for (const format of arns) {
    for (const placeholder of format.fieldNames) {
      if (!fields?.some((f) => f.name === placeholder)) {
        fail('template-arn', `the ARN format uses \${${placeholder}}, which is not a field`, `Declare ${placeholder} under fields:.`, at(['arn']), 'arn');
      }
    }
  }
  const passRoleTo = value.passRoleTo ?? [];
  if (!Array.isArray(passRoleTo) || !passRoleTo.every((s) => typeof s === 'string' && /^[a-z0-9.-]+\.amazonaws\.com$/.test(s))) {
    return fail(
      'template-pass-role',
      'passRoleTo must be a list of service principals such as codebuild.amazonaws.com',
      'List the services that run with the project\'s worker roles for this type.',
      at(['passRoleTo']),
      'passRoleTo',
    );
  }
  if (!fields || problems.some((p) => p.file === file)) return undefined;
  const bodyLine = match[0].split('\n').length - 1;
  const body = text.slice(match[0].length);
  const render = compile(file, body, bodyLine, problems);
  if (!render) return undefined;
  return {
    name: typeName,
    description: typeof value.description === 'string' ? value.description : typeName,
    fields,
    arns,
    passRoleTo: passRoleTo as string[],
    templateFile: file,
    templateBody: body,
    render,
  };
}

function readFields(meta: YamlSource, raw: unknown, problems: Problem[]): FieldSpec[] | undefined {
  const out: FieldSpec[] = [];
  const problem = (fieldPath: (string | number)[], message: string, hint: string) => {
    const pos = meta.locate(fieldPath);
    problems.push({
      code: 'template-field',
      severity: 'error',
      message,
      hint,
      file: meta.file,
      line: pos.line + 1,
      column: pos.column,
      path: formatPath(fieldPath),
    });
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    problem(['fields'], 'fields must be a mapping of field name to its description and rule', 'See templates/resources/codebuild-project.hbs.');
    return undefined;
  }
  for (const [name, spec] of Object.entries(raw as Record<string, unknown>)) {
    const where = ['fields', name];
    if (!FIELD_NAME.test(name) || RESERVED_FIELDS.has(name)) {
      problem(where, `${name} cannot be a field name`, `Use a camelCase name other than ${[...RESERVED_FIELDS].join(', ')}.`);
      continue;
    }
    const s = (spec ?? {}) as Record<string, unknown>;
    const kind = s.kind ?? 'string';
    if (kind !== 'string' && kind !== 'boolean') {
      problem([...where, 'kind'], `kind must be string or boolean`, 'Leave it out for a string.');
      continue;
    }
    let pattern: RegExp | undefined;
    if (s.pattern !== undefined) {
      try {
        pattern = new RegExp(String(s.pattern));
      } catch (error) {
        problem([...where, 'pattern'], `pattern is not a regular expression: ${(error as Error).message}`, 'Fix the pattern.');
        continue;
      }
    } else if (kind === 'string') {
      problem(where, `string field ${name} needs a pattern: AWS's naming rule for it`, 'Add pattern: and rule:.');
      continue;
    }
    const fallback = typeof s.default === 'string' ? s.default : undefined;
    if (fallback !== undefined && pattern && !pattern.test(fallback)) {
      problem([...where, 'default'], `the default ${JSON.stringify(fallback)} breaks the field's own pattern`, 'Fix the default or the pattern.');
      continue;
    }
    out.push({
      name,
      description: typeof s.description === 'string' ? s.description : name,
      kind,
      required: s.required !== false && fallback === undefined,
      pattern,
      rule: typeof s.rule === 'string' ? s.rule : undefined,
      default: fallback,
    });
  }
  return out;
}
