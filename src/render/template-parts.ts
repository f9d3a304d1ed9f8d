/**
 * A piece of a template, of the few kinds that rendering by shapes (template-shapes.ts) does without
 * Handlebars: text, a value, `{{strings list}}`, `{{#if}}` with its `{{else}}`, an inline partial.
 */
export type Part =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string[] }
  | { kind: 'strings'; path: string[] }
  | { kind: 'if'; path: string[]; then: Part[]; otherwise: Part[] }
  | { kind: 'partial'; name: string };

/** The inline partials of the template by name, and its body. */
export interface TemplateParts {
  body: Part[];
  partials: Map<string, Part[]>;
}

/**
 * The parts of a template (its syntax tree, as Handlebars parses it), or undefined when it uses
 * anything but text, values, `if`, `strings` and inline partials, or writes a marker character itself.
 * `helpers`: the names a mustache would call instead of reading the field.
 */
export function templateParts(program: hbs.AST.Program, helpers: readonly string[], markers: readonly string[]): TemplateParts | undefined {
  const partials = new Map<string, Part[]>();
  const body: Part[] = [];
  for (const node of program.body) {
    if (node.type === 'DecoratorBlock') {
      const block = node as hbs.AST.DecoratorBlock;
      const name = block.params[0] as hbs.AST.StringLiteral | undefined;
      if (pathOf(block.path)?.join('.') !== 'inline' || block.params.length !== 1 || name?.type !== 'StringLiteral' || block.hash) return undefined;
      const parts = partsOf(block.program, helpers, markers);
      if (!parts) return undefined;
      partials.set(name.value, parts);
      continue;
    }
    const parts = partsOf({ ...program, body: [node] }, helpers, markers);
    if (!parts) return undefined;
    body.push(...parts);
  }
  return { body, partials };
}

/** The parts of a program, or undefined for anything rendering by shapes leaves to Handlebars. */
function partsOf(program: hbs.AST.Program, helpers: readonly string[], markers: readonly string[]): Part[] | undefined {
  if (program.blockParams?.length) return undefined;
  const out: Part[] = [];
  for (const node of program.body) {
    switch (node.type) {
      case 'ContentStatement': {
        const text = (node as hbs.AST.ContentStatement).value;
        if (markers.some((m) => text.includes(m))) return undefined;
        out.push({ kind: 'text', text });
        break;
      }
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = node as hbs.AST.MustacheStatement;
        const name = pathOf(m.path);
        if (!name || m.hash) return undefined;
        if (m.params.length === 0 && !helpers.includes(name[0])) out.push({ kind: 'value', path: name });
        else if (name.join('.') === 'strings' && m.params.length === 1) {
          const list = pathOf(m.params[0]);
          if (!list || helpers.includes(list[0])) return undefined;
          out.push({ kind: 'strings', path: list });
        } else return undefined;
        break;
      }
      case 'BlockStatement': {
        const b = node as hbs.AST.BlockStatement;
        const condition = b.params.length === 1 ? pathOf(b.params[0]) : undefined;
        if (pathOf(b.path)?.join('.') !== 'if' || !condition || b.hash || helpers.includes(condition[0])) return undefined;
        const then = partsOf(b.program, helpers, markers);
        const otherwise = b.inverse ? partsOf(b.inverse, helpers, markers) : [];
        if (!then || !otherwise) return undefined;
        out.push({ kind: 'if', path: condition, then, otherwise });
        break;
      }
      case 'PartialStatement': {
        const p = node as hbs.AST.PartialStatement;
        const name = p.name.type === 'PathExpression' ? pathOf(p.name) : undefined;
        if (!name || name.length !== 1 || p.params.length > 0 || p.hash) return undefined;
        out.push({ kind: 'partial', name: name[0] });
        break;
      }
      default:
        return undefined;
    }
  }
  return out;
}

/** A plain path into the context (`project.region`), or undefined for `this`, `../`, `@data` and literals. */
function pathOf(node: hbs.AST.Node): string[] | undefined {
  if (node.type !== 'PathExpression') return undefined;
  const path = node as hbs.AST.PathExpression;
  if (path.data || path.depth !== 0 || path.parts.length === 0 || path.original !== path.parts.join('.')) return undefined;
  return path.parts;
}
