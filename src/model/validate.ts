import * as path from 'path';
import { Problem } from '../problems';
import { isMapping, ProblemSink } from './problem-sink';
import { partitionOf, REGION_PATTERN } from './partition';
import { Project, PROJECT_ROLES, ProjectRole, ResolvedResource, TeamMember } from './project';
import { YamlSource } from './yaml-source';
import { resolveResource } from '../resources/resolve';
import { ResourceType } from '../resources/resource-type';

const PROJECT_FIELDS = ['id', 'name', 'region', 'account', 'team', 'serviceRole', 'crossAccountViewers', 'resources'] as const;
const MEMBER_FIELDS = ['user', 'iamRole', 'role'];
const SERVICE_ROLE_FIELDS = ['scope'];
export const ID_PATTERN = /^[a-z][a-z0-9-]+$/;

/**
 * The most resources one project may list. Ten managed policies of 6,144 characters hold some 400
 * named resources per role; far more is a mistake, and would only cost time before failing to pack.
 */
export const MAX_RESOURCES = 500;
export const IAM_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;

/** Validates a parsed project file and resolves its resources. Returns a Project only when there is no error. */
export function validateProject(
  source: YamlSource,
  types: ReadonlyMap<string, ResourceType>,
): { project?: Project; problems: Problem[] } {
  const sink = new ProblemSink(source);
  const doc = source.value;
  if (!isMapping(doc)) {
    sink.error('project-not-mapping', [], 'a project file is a YAML mapping with id, region, account and resources', 'See projects/my-first-projec.yaml for an example.');
    return { problems: sink.problems };
  }
  sink.unknownKeys(doc, PROJECT_FIELDS, [], 'a project');

  const id = requiredString(sink, doc, 'id', 'the project id, e.g. id: my-first-projec');
  const expectedId = path.basename(source.file).replace(/\.ya?ml$/, '');
  if (id !== undefined) {
    if (id.length < 2 || id.length > 15 || !ID_PATTERN.test(id)) {
      sink.error('id-invalid', ['id'], `id ${JSON.stringify(id)} breaks CodeStar's rule: 2-15 characters, a lower-case letter then lower-case letters, digits or '-'`, 'Choose an id such as my-first-projec.');
    } else if (id !== expectedId) {
      sink.error('id-file-mismatch', ['id'], `id ${JSON.stringify(id)} differs from the file's name, ${path.basename(source.file)}`, `Rename the file to ${id}.yaml, or set id: ${expectedId}.`);
    }
  }
  if (doc.name !== undefined && doc.name !== null && typeof doc.name !== 'string') {
    sink.error('name-invalid', ['name'], 'name must be text', 'Quote it: name: "My project".');
  }

  const region = requiredString(sink, doc, 'region', 'the AWS Region, e.g. region: us-east-2');
  if (region !== undefined && !REGION_PATTERN.test(region)) {
    sink.error('region-invalid', ['region'], `${JSON.stringify(region)} is not an AWS Region code`, 'Write a code such as us-east-2, eu-west-1, cn-north-1 or us-gov-west-1.');
  }

  const account = checkAccount(sink, doc);
  const team = checkTeam(sink, doc.team);
  const scope = checkServiceRole(sink, doc.serviceRole);
  const viewers = checkCrossAccountViewers(sink, doc.crossAccountViewers, account);

  const resources: ResolvedResource[] = [];
  if (doc.resources !== undefined && doc.resources !== null && !Array.isArray(doc.resources)) {
    sink.error('resources-not-list', ['resources'], 'resources must be a list', 'Write each resource as a list item: - type: codebuild-project');
  } else if (Array.isArray(doc.resources) && doc.resources.length > MAX_RESOURCES) {
    sink.error(
      'too-many-resources',
      ['resources'],
      `${doc.resources.length} resources; a project may have at most ${MAX_RESOURCES}`,
      'Split it into several projects: its policies could not fit IAM\'s 10 managed policies of 6,144 characters per role anyway.',
      { key: true },
    );
  } else if (region !== undefined && account !== undefined) {
    const context = { partition: partitionOf(region), region, account };
    const seen = new Map<string, number>();
    ((doc.resources as unknown[] | undefined) ?? []).forEach((entry, index) => {
      const resolved = resolveResource(sink, entry, index, types, context);
      if (!resolved) return;
      const key = `${resolved.type} ${resolved.arn}`;
      const first = seen.get(key);
      if (first !== undefined) {
        const line = source.locate(['resources', first]).line;
        sink.error('resource-duplicate', ['resources', index], `${resolved.type} ${resolved.arn} is listed twice (first at line ${line})`, 'Remove one of the two entries.');
        return;
      }
      seen.set(key, index);
      resources.push(resolved);
    });
  }

  if (sink.problems.length > 0 || id === undefined || region === undefined || account === undefined) {
    return { problems: sink.problems };
  }
  return {
    project: {
      file: source.file,
      id,
      name: typeof doc.name === 'string' ? doc.name : null,
      region,
      account,
      partition: partitionOf(region),
      team,
      serviceRoleScope: scope,
      crossAccountViewers: viewers,
      resources,
      source,
    },
    problems: [],
  };
}

function requiredString(sink: ProblemSink, doc: Record<string, unknown>, key: string, example: string): string | undefined {
  const value = doc[key];
  if (value === undefined || value === null) {
    sink.error(`${key}-missing`, [key], `${key} is required`, `Add ${example}.`, { key: value === null });
    return undefined;
  }
  if (typeof value !== 'string') {
    sink.error(`${key}-invalid`, [key], `${key} must be text`, `Quote it: ${key}: "${String(value)}".`);
    return undefined;
  }
  return value;
}

function checkAccount(sink: ProblemSink, doc: Record<string, unknown>): string | undefined {
  const value = doc.account;
  if (value === undefined || value === null) {
    sink.error('account-missing', ['account'], 'account is required', 'Add the 12-digit AWS account id as a quoted string, e.g. account: "111111111111".', { key: value === null });
    return undefined;
  }
  if (typeof value === 'number') {
    const written = sink.source.sourceText(['account']) ?? String(value);
    sink.error(
      'account-not-string',
      ['account'],
      `account ${written} is written as a number, which YAML reads as ${value}${String(value) !== written ? ' (the digits change)' : ''}`,
      /^\d{12}$/.test(written) ? `Quote it: account: "${written}".` : 'Write the 12-digit AWS account id as a quoted string: account: "111111111111".',
    );
    return undefined;
  }
  if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
    sink.error('account-invalid', ['account'], `account ${JSON.stringify(value)} is not 12 digits`, 'Write the 12-digit AWS account id, quoted: account: "111111111111".');
    return undefined;
  }
  return value;
}

function checkTeam(sink: ProblemSink, raw: unknown): TeamMember[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    sink.error('team-not-list', ['team'], 'team must be a list of members', 'Write - user: alice with role: owner, contributor or viewer.');
    return [];
  }
  const team: TeamMember[] = [];
  const seen = new Set<string>();
  raw.forEach((entry, i) => {
    const at = ['team', i];
    if (!isMapping(entry)) {
      sink.error('member-invalid', at, 'a team member is a mapping: user (or iamRole) and role', 'Write - user: alice then role: owner.');
      return;
    }
    sink.unknownKeys(entry, MEMBER_FIELDS, at, 'a team member');
    const kinds = (['user', 'iamRole'] as const).filter((k) => entry[k] !== undefined);
    if (kinds.length !== 1) {
      sink.error('member-principal', at, 'a team member names exactly one of user or iamRole', 'Write user: for an IAM user, or iamRole: for a role that federated users assume.');
      return;
    }
    const kind = kinds[0];
    const name = entry[kind];
    if (typeof name !== 'string' || !IAM_NAME_PATTERN.test(name)) {
      sink.error('member-name', [...at, kind], `${JSON.stringify(name)} is not a valid IAM ${kind === 'user' ? 'user' : 'role'} name: 1-64 letters, digits or + = , . @ _ -`, 'Write the name exactly as IAM shows it.');
      return;
    }
    const role = entry.role;
    if (!PROJECT_ROLES.includes(role as ProjectRole)) {
      sink.error('member-role', [...at, 'role'], `role must be owner, contributor or viewer, not ${JSON.stringify(role)}`, 'Pick one of owner, contributor, viewer.', { key: role === undefined });
      return;
    }
    const key = `${kind}:${name}`;
    if (seen.has(key)) {
      sink.error('member-duplicate', at, `${kind} ${name} is in the team twice`, 'A member has one role: remove one entry.');
      return;
    }
    seen.add(key);
    team.push({ kind, name, role: role as ProjectRole });
  });
  return team;
}

function checkCrossAccountViewers(sink: ProblemSink, raw: unknown, account: string | undefined): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    sink.error('cross-account-invalid', ['crossAccountViewers'], 'crossAccountViewers must be a list of account ids', 'Write crossAccountViewers: ["222222222222"].');
    return [];
  }
  const out: string[] = [];
  raw.forEach((value, i) => {
    const at = ['crossAccountViewers', i];
    if (typeof value !== 'string' || !/^\d{12}$/.test(value)) {
      const written = sink.source.sourceText(at) ?? String(value);
      sink.error('cross-account-invalid', at, `${written} is not a 12-digit account id written as a string`, `Quote it: "${written}".`);
    } else if (value === account) {
      sink.error('cross-account-own', at, `${value} is the project's own account`, "Its members get the Viewer policy through team:; list other accounts here.");
    } else if (out.includes(value)) {
      sink.error('cross-account-duplicate', at, `${value} is listed twice`, 'Remove one.');
    } else {
      out.push(value);
    }
  });
  return out.sort();
}

function checkServiceRole(sink: ProblemSink, raw: unknown): 'project' | 'account' {
  if (raw === undefined || raw === null) return 'project';
  if (!isMapping(raw)) {
    sink.error('service-role-invalid', ['serviceRole'], 'serviceRole must be a mapping', 'Write serviceRole: then scope: project (or account) on the next line.');
    return 'project';
  }
  sink.unknownKeys(raw, SERVICE_ROLE_FIELDS, ['serviceRole'], 'serviceRole');
  if (raw.scope === undefined) return 'project';
  if (raw.scope !== 'project' && raw.scope !== 'account') {
    sink.error('service-role-scope', ['serviceRole', 'scope'], `scope must be project or account, not ${JSON.stringify(raw.scope)}`, 'project (the default) narrows the policy to this project; account reproduces CodeStar\'s account-wide one.');
    return 'project';
  }
  return raw.scope;
}

