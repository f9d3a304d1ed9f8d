import { REGION_PATTERN } from './partition';
import { ID_PATTERN, IAM_NAME_PATTERN } from './validate';
import { PROJECT_ROLES } from './project';
import { ResourceType } from '../resources/resource-type';

/**
 * The JSON Schema of a project file, built from the resource types' front matter so that it always
 * matches the templates. Editors use it to complete and check project files
 * (`# yaml-language-server: $schema=../schema/project.schema.json`).
 */
export function projectSchema(types: Iterable<ResourceType>): unknown {
  const role = { enum: [...PROJECT_ROLES], description: 'The project role: owner, contributor or viewer.' };
  const iamName = { type: 'string', pattern: IAM_NAME_PATTERN.source };
  const resourceForms = [...types]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((type) => ({
      title: type.name,
      description: type.description,
      type: 'object',
      additionalProperties: false,
      required: ['type', ...type.fields.filter((f) => f.required).map((f) => f.name)],
      properties: {
        type: { const: type.name },
        ...Object.fromEntries(
          type.fields.map((f) => [
            f.name,
            f.kind === 'boolean'
              ? { type: 'boolean', description: f.description }
              : {
                  type: 'string',
                  description: `${f.description}${f.rule ? `: ${f.rule}` : ''}`,
                  ...(f.pattern ? { pattern: f.pattern.source } : {}),
                  ...(f.default !== undefined ? { default: f.default } : {}),
                },
          ]),
        ),
      },
    }));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/codestar-policy/codestar-policy/schema/project.schema.json',
    title: 'codestar-policy project',
    description: 'One project: its id, account, region, team and resources. The file is projects/<id>.yaml.',
    type: 'object',
    additionalProperties: false,
    required: ['id', 'region', 'account'],
    properties: {
      id: { type: 'string', minLength: 2, maxLength: 15, pattern: ID_PATTERN.source, description: "The project id, CodeStar's rule: 2-15 characters, a lower-case letter then lower-case letters, digits or '-'. The file's name." },
      name: { type: 'string', description: 'Free text; never part of an ARN.' },
      region: { type: 'string', pattern: REGION_PATTERN.source, description: 'The AWS Region. The partition follows: cn-* is aws-cn, us-gov-* is aws-us-gov, else aws.' },
      account: { type: 'string', pattern: '^\\d{12}$', description: 'The 12-digit AWS account id, quoted: "111111111111".' },
      team: {
        type: 'array',
        description: 'Who gets which policy.',
        items: {
          oneOf: [
            { type: 'object', additionalProperties: false, required: ['user', 'role'], properties: { user: { ...iamName, description: 'An IAM user.' }, role } },
            { type: 'object', additionalProperties: false, required: ['iamRole', 'role'], properties: { iamRole: { ...iamName, description: 'An IAM role that federated users assume.' }, role } },
          ],
        },
      },
      serviceRole: {
        type: 'object',
        additionalProperties: false,
        properties: {
          scope: { enum: ['project', 'account'], default: 'project', description: "project narrows the service role to this project's resources; account reproduces CodeStar's account-wide policy." },
        },
      },
      crossAccountViewers: {
        type: 'array',
        description: 'Accounts whose principals may assume a role that holds the Viewer policy (CodeStar-<id>-CrossAccountViewer).',
        items: { type: 'string', pattern: '^\\d{12}$' },
        uniqueItems: true,
      },
      resources: {
        type: 'array',
        description: 'The resources that belong to the project: type and fields, or arn.',
        items: {
          oneOf: [
            { title: 'arn', type: 'object', additionalProperties: false, required: ['arn'], properties: { arn: { type: 'string', pattern: '^arn:', description: 'The ARN of a resource of a known type, in the project\'s partition, region and account.' } } },
            ...resourceForms,
          ],
        },
      },
    },
  };
}
