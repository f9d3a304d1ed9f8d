import { ArnFormat } from './arn-format';

/** A field that a resource entry of some type takes, declared in the type's template front matter. */
export interface FieldSpec {
  name: string;
  description: string;
  kind: 'string' | 'boolean';
  required: boolean;
  /** AWS's naming rule, as a regular expression over the whole value. */
  pattern?: RegExp;
  /** The rule in words, for messages and the JSON Schema. */
  rule?: string;
  /** The value when the entry leaves the field out. */
  default?: string;
}

/** A resource type: its fields, its ARN forms and the template that holds its statements. */
export interface ResourceType {
  name: string;
  description: string;
  fields: FieldSpec[];
  /** The first form is canonical; every form is accepted in an `arn:` entry. */
  arns: ArnFormat[];
  /** Service principals to which Owner may pass the project's worker roles when this type is present. */
  passRoleTo: string[];
  templateFile: string;
  templateBody: string;
}

/** Characters that no name of any type may hold: they are IAM wildcards, policy variables or ARN separators. */
const FORBIDDEN_NAME_CHARACTERS = /[*?"/${}\s]/;

function describeCharacter(ch: string): string {
  if (ch === ' ') return 'a space';
  if (/\s/.test(ch)) return 'whitespace';
  return `'${ch}'`;
}

export function checkFieldValue(spec: FieldSpec, value: string): string | undefined {
  const rule = spec.rule ? `: ${spec.rule}` : '';
  if (spec.pattern && !spec.pattern.test(value)) {
    const bad = FORBIDDEN_NAME_CHARACTERS.exec(value);
    const which = bad ? `it contains ${describeCharacter(bad[0])}, which ` : '';
    return `${JSON.stringify(value)} breaks the naming rule for ${spec.name}${rule}${bad ? ` (${which}is not allowed)` : ''}`;
  }
  return undefined;
}
