import { specification } from '@aws-cdk/cfnspec';

/**
 * Checks a CloudFormation template against the CloudFormation resource specification that
 * @aws-cdk/cfnspec ships: resource types, property names, required properties, and primitive, list and
 * nested property types. Intrinsic functions ({ Ref }, { "Fn::..." }) stand for any value.
 */
interface PropertySpec {
  PrimitiveType?: string;
  PrimitiveItemType?: string;
  Type?: string;
  ItemType?: string;
  Required?: boolean;
}

const spec = specification() as unknown as {
  ResourceTypes: Record<string, { Properties?: Record<string, PropertySpec> }>;
  PropertyTypes: Record<string, { Properties?: Record<string, PropertySpec> }>;
};

const isIntrinsic = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && /^(Ref|Fn::)/.test(Object.keys(v)[0]);

function primitive(kind: string, value: unknown): boolean {
  if (isIntrinsic(value)) return true;
  if (kind === 'String') return typeof value === 'string';
  if (kind === 'Json') return typeof value === 'object' && value !== null;
  if (kind === 'Boolean') return typeof value === 'boolean' || value === 'true' || value === 'false';
  if (kind === 'Integer' || kind === 'Double' || kind === 'Long') return typeof value === 'number' || /^\d+$/.test(String(value));
  return true;
}

function properties(where: string, props: Record<string, unknown>, specs: Record<string, PropertySpec>, resourceType: string): string[] {
  const errors: string[] = [];
  for (const [name, s] of Object.entries(specs)) if (s.Required && props[name] === undefined) errors.push(`${where}: ${name} is required`);
  for (const [name, value] of Object.entries(props)) {
    const s = specs[name];
    if (!s) {
      errors.push(`${where}: ${name} is not a property`);
      continue;
    }
    const nested = (type: string, v: unknown, at: string) => {
      const t = spec.PropertyTypes[`${resourceType}.${type}`];
      if (!t) return [`${at}: unknown property type ${type}`];
      return typeof v === 'object' && v !== null ? properties(at, v as Record<string, unknown>, t.Properties ?? {}, resourceType) : [`${at}: expected ${type}`];
    };
    if (s.PrimitiveType && !primitive(s.PrimitiveType, value)) errors.push(`${where}.${name}: expected ${s.PrimitiveType}`);
    if (s.Type === 'List' || s.Type === 'Map') {
      const items = s.Type === 'List' ? value : Object.values((value ?? {}) as object);
      if (!Array.isArray(items)) {
        errors.push(`${where}.${name}: expected a ${s.Type}`);
        continue;
      }
      items.forEach((item, i) => {
        if (s.PrimitiveItemType && !primitive(s.PrimitiveItemType, item)) errors.push(`${where}.${name}[${i}]: expected ${s.PrimitiveItemType}`);
        if (s.ItemType) errors.push(...nested(s.ItemType, item, `${where}.${name}[${i}]`));
      });
    } else if (s.Type) {
      errors.push(...nested(s.Type, value, `${where}.${name}`));
    }
  }
  return errors;
}

export function validateCloudFormation(template: { AWSTemplateFormatVersion?: string; Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }): string[] {
  const errors: string[] = [];
  if (template.AWSTemplateFormatVersion !== '2010-09-09') errors.push('AWSTemplateFormatVersion must be 2010-09-09');
  for (const [logical, resource] of Object.entries(template.Resources ?? {})) {
    if (!/^[A-Za-z0-9]+$/.test(logical)) errors.push(`${logical}: logical ids are alphanumeric`);
    const type = spec.ResourceTypes[resource.Type];
    if (!type) {
      errors.push(`${logical}: unknown resource type ${resource.Type}`);
      continue;
    }
    errors.push(...properties(logical, resource.Properties ?? {}, type.Properties ?? {}, resource.Type));
  }
  return errors;
}
