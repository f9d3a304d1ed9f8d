import { isMapping, ProblemSink } from '../model/problem-sink';
import { FieldValue, ResolvedResource } from '../model/project';
import { checkFieldValue, ResourceType } from './resource-type';

export interface ArnContext {
  partition: string;
  region: string;
  account: string;
}

/**
 * Resolves one `resources` entry, typed (`type: ..., name: ...`) or by ARN (`arn: ...`), to its type,
 * fields and canonical ARN. Both forms of the same resource resolve to the same thing.
 */
export function resolveResource(
  sink: ProblemSink,
  entry: unknown,
  index: number,
  types: ReadonlyMap<string, ResourceType>,
  context: ArnContext,
): ResolvedResource | undefined {
  const at = ['resources', index];
  if (!isMapping(entry)) {
    sink.error('resource-invalid', at, 'a resource is a mapping: type and its fields, or arn', 'Write - type: codebuild-project then name: my-build on the next line.');
    return undefined;
  }
  if (entry.arn !== undefined) return resolveArn(sink, entry, at, index, types, context);

  const typeName = entry.type;
  const known = [...types.keys()].sort();
  if (typeName === undefined) {
    sink.error('resource-type-missing', at, 'a resource needs a type (or an arn)', `Add type: one of ${known.join(', ')}.`);
    return undefined;
  }
  const type = typeof typeName === 'string' ? types.get(typeName) : undefined;
  if (!type) {
    sink.error('resource-type-unknown', [...at, 'type'], `unknown resource type ${JSON.stringify(typeName)}`, `Known types: ${known.join(', ')}. A new type is one template in templates/resources/.`);
    return undefined;
  }
  sink.unknownKeys(entry, ['type', ...type.fields.map((f) => f.name)], at, `a resource of type ${type.name}`);
  const fields: Record<string, FieldValue> = {};
  let ok = true;
  for (const spec of type.fields) {
    const value = entry[spec.name] ?? spec.default;
    if (value === undefined || value === null) {
      if (spec.required) {
        sink.error('field-missing', at, `a resource of type ${type.name} needs ${spec.name} (${spec.description})`, `Add ${spec.name}:${spec.rule ? ` ${spec.rule}` : ''}.`);
        ok = false;
      }
      fields[spec.name] = null;
      continue;
    }
    if (spec.kind === 'boolean') {
      if (typeof value !== 'boolean') {
        sink.error('field-invalid', [...at, spec.name], `${spec.name} must be true or false`, `Write ${spec.name}: true.`);
        ok = false;
      }
      fields[spec.name] = value as FieldValue;
      continue;
    }
    if (typeof value !== 'string') {
      sink.error('field-invalid', [...at, spec.name], `${spec.name} must be text, not ${typeof value}`, `Quote it: ${spec.name}: "${String(value)}".`);
      ok = false;
      continue;
    }
    const broken = checkFieldValue(spec, value);
    if (broken) {
      sink.error('name-invalid', [...at, spec.name], broken.replace(`rule for ${spec.name}`, `rule for the ${spec.name} of a ${type.name}`), 'Use the name exactly as AWS shows it.');
      ok = false;
    }
    fields[spec.name] = value;
  }
  if (!ok) return undefined;
  const arn = type.arns[0].build({ ...context, ...arnValues(type, fields) });
  return { type: type.name, fields, arn, index };
}

function resolveArn(
  sink: ProblemSink,
  entry: Record<string, unknown>,
  at: (string | number)[],
  index: number,
  types: ReadonlyMap<string, ResourceType>,
  context: ArnContext,
): ResolvedResource | undefined {
  sink.unknownKeys(entry, ['arn'], at, 'an arn entry');
  const arn = entry.arn;
  const where = [...at, 'arn'];
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) {
    sink.error('arn-invalid', where, `${JSON.stringify(arn)} is not an ARN`, 'An ARN starts with arn:<partition>:<service>:, e.g. arn:aws:codebuild:us-east-2:111111111111:project/my-build.');
    return undefined;
  }
  let formatMatched = false;
  for (const type of [...types.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const format of type.arns) {
      const parsed = format.parse(arn);
      if (!parsed) continue;
      formatMatched = true;
      const mismatch =
        parsed.partition !== context.partition
          ? `partition ${parsed.partition || '(empty)'} is not the project's, ${context.partition}`
          : format.hasRegion && parsed.region !== context.region
            ? `region ${parsed.region || '(empty)'} is not the project's, ${context.region}`
            : format.hasAccount && parsed.account !== context.account
              ? `account ${parsed.account || '(empty)'} is not the project's, ${context.account}`
              : undefined;
      if (mismatch) {
        sink.error('arn-foreign', where, `${arn}: its ${mismatch}`, 'A project holds only resources of its own partition, region and account; move the resource to the project that owns it.');
        return undefined;
      }
      const fields: Record<string, FieldValue> = Object.fromEntries(type.fields.map((f) => [f.name, null]));
      const invalid = type.fields
        .filter((f) => parsed.fields[f.name] !== undefined && !(parsed.fields[f.name] === '' && !f.required))
        .map((f) => {
          fields[f.name] = parsed.fields[f.name];
          return checkFieldValue(f, parsed.fields[f.name]) ?? (parsed.fields[f.name] === '' ? 'empty' : undefined);
        })
        .find((m) => m !== undefined);
      if (invalid) continue; // The text fits this format's shape but not its names: try the other types.
      return { type: type.name, fields, arn: type.arns[0].build({ ...context, ...arnValues(type, fields) }), index };
    }
  }
  sink.error(
    'arn-unknown-type',
    where,
    formatMatched ? `${arn} has a name that breaks its type's naming rule` : `${arn} is not an ARN of any known resource type`,
    `Known types: ${[...types.keys()].sort().join(', ')}. Check the ARN, or write the resource with type: and its fields.`,
  );
  return undefined;
}

/** The values an ARN is built from: each string field, and the empty string for an absent optional one. */
function arnValues(type: ResourceType, fields: Record<string, FieldValue>): Record<string, string> {
  return Object.fromEntries(type.fields.map((f) => [f.name, typeof fields[f.name] === 'string' ? (fields[f.name] as string) : '']));
}
