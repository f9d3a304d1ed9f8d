import { Condition, ConditionValue, Statement } from './statement';

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Action', 'Resource', 'Condition']);

/**
 * Reads the statements a template rendered, checking their shape. Effect defaults to Allow.
 * Returns the first mistake as a message: templates are code, and one clear error is enough.
 */
export function readStatements(raw: unknown): { statements: Statement[]; error?: string; code?: string } {
  if (!Array.isArray(raw)) return { statements: [], error: 'expected a list of statements' };
  const statements: Statement[] = [];
  for (const [i, item] of raw.entries()) {
    const where = `statement ${i + 1}`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return { statements, error: `${where} is not an object` };
    const s = item as Record<string, unknown>;
    if (s.NotAction !== undefined || s.NotResource !== undefined) {
      return { statements, code: 'not-action', error: `${where} uses ${s.NotAction !== undefined ? 'NotAction' : 'NotResource'}: with Allow it grants everything it does not name, including actions and resources published later` };
    }
    const extra = Object.keys(s).find((k) => !STATEMENT_KEYS.has(k));
    if (extra) return { statements, error: `${where} has ${extra}; a template statement holds only ${[...STATEMENT_KEYS].join(', ')}` };
    const effect = s.Effect ?? 'Allow';
    if (effect !== 'Allow' && effect !== 'Deny') return { statements, error: `${where}: Effect must be Allow or Deny` };
    if (s.Sid !== undefined && typeof s.Sid !== 'string') return { statements, error: `${where}: Sid must be a string` };
    const action = stringList(s.Action);
    if (!action) return { statements, error: `${where}: Action must be a non-empty string or list of strings` };
    const badAction = action.find((a) => !/^([a-z0-9-]+:[A-Za-z0-9*?]+|\*)$/.test(a));
    if (badAction !== undefined) return { statements, error: `${where}: ${JSON.stringify(badAction)} is not an action (service:Action)` };
    const resource = stringList(s.Resource);
    if (!resource) return { statements, error: `${where}: Resource must be a non-empty string or list of strings` };
    const badResource = resource.find((r) => r !== '*' && !/^arn:[^:]+:[^:]*:[^:]*:[^:]*:.+$/.test(r));
    if (badResource !== undefined) return { statements, error: `${where}: ${JSON.stringify(badResource)} is not an ARN or *` };
    const condition = s.Condition === undefined ? undefined : readCondition(s.Condition);
    if (condition === null) return { statements, error: `${where}: Condition must map operators to keys to values` };
    statements.push({
      Sid: (s.Sid as string | undefined) ?? '',
      Effect: effect,
      Action: action,
      Resource: resource,
      ...(condition ? { Condition: condition } : {}),
    });
  }
  return { statements };
}

function stringList(value: unknown): string[] | undefined {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) return undefined;
  return list;
}

function readCondition(value: unknown): Condition | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const out: Condition = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return null;
    out[operator] = {};
    for (const [key, raw] of Object.entries(keys)) {
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0 || !values.every(isConditionValue)) return null;
      out[operator][key] = values;
    }
  }
  return out;
}

function isConditionValue(v: unknown): v is ConditionValue {
  return typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number';
}
