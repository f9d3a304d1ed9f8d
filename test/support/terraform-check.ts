import { parse } from '@cdktf/hcl2json';

/**
 * Checks a Terraform JSON configuration with HashiCorp's own HCL parser (@cdktf/hcl2json, which reads
 * HCL's native syntax only): the configuration is written out as native HCL, parsed, and must come back
 * as itself. Strings are templates in both syntaxes, so a `${...}` that is not a valid expression, such
 * as an unescaped `${aws:username}`, fails the parse.
 */
type Resources = Record<string, Record<string, Record<string, string>>>;

function literal(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function toNativeHcl(config: { resource: Resources }): string {
  const blocks: string[] = [];
  for (const [type, byName] of Object.entries(config.resource)) {
    for (const [name, attributes] of Object.entries(byName)) {
      blocks.push(`resource ${literal(type)} ${literal(name)} {\n${Object.entries(attributes).map(([k, v]) => `  ${k} = ${literal(v)}`).join('\n')}\n}\n`);
    }
  }
  return blocks.join('\n');
}

export async function checkTerraform(config: { resource: Resources }): Promise<string[]> {
  let parsed: { resource?: Record<string, Record<string, Record<string, string>[]>> };
  try {
    parsed = await parse('main.tf', toNativeHcl(config));
  } catch (error) {
    return [String((error as Error).message ?? error)];
  }
  const back: Resources = Object.fromEntries(
    Object.entries(parsed.resource ?? {}).map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).map(([n, [body]]) => [n, body]))]),
  );
  const sortDeep = (r: Resources) => JSON.stringify(r, (_, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));
  return sortDeep(back) === sortDeep(config.resource) ? [] : ['the configuration does not read back as itself'];
}
