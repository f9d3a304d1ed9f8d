import { Part, templateParts } from './template-parts';

/**
 * A template's JSON value without Handlebars or JSON.parse, for the many renderings of a run.
 *
 * The templates of a run render the same text for every resource of a type but for the values they
 * write into strings. So a rendering here walks the template (its Handlebars syntax tree) and writes a
 * marker where each value goes: that text, the shape, is the same for every resource with the same
 * branches taken. A shape is parsed once; each rendering walks the template for its values and copies
 * the parsed shape with them put in at the markers. That is the value JSON.parse gives for Handlebars'
 * text, because:
 * - every marker sits inside a JSON string, and not just after a backslash: else the shape is no JSON;
 * - every value is itself valid JSON string content (as the view model's escaping makes it): checked
 *   on each value, which is put in as JSON.parse would read it.
 * Whatever else a template does (a helper other than `if` and `strings`, a field that is missing, a
 * value that is not text, a value outside a string) is left to Handlebars: `render` returns undefined.
 * A test renders every shipped template both ways, with hostile values, and compares.
 */
export interface ShapedTemplate {
  /**
   * The value, and a key (made when asked for) equal for equal renderings of this template, and apart
   * from any other template's; undefined: ask Handlebars.
   */
  render(context: unknown): { value: unknown; key: () => string } | undefined;
}

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MAX_SHAPES = 2_000;

/**
 * The template's shapes, from its syntax tree as Handlebars parses it; undefined when it uses anything
 * but text, values, `if`, `strings` and inline partials.
 */
export function shapeTemplate(program: hbs.AST.Program, helpers: readonly string[]): ShapedTemplate | undefined {
  const parts = templateParts(program, helpers, [OPEN, CLOSE]);
  return parts && new Shapes(parts.body, parts.partials);
}

/** A string of the parsed shape that holds markers: its text around them, and the values' numbers. */
interface Filled {
  texts: string[];
  slots: number[];
}
type Shape = null | boolean | number | string | Filled | Shape[] | { keys: (string | Filled)[]; values: Shape[] };

/**
 * One walk of a template for a context: the values in marker order, and the trace of its choices (each
 * `if` taken or not, the length of each `strings` list), which decides the shape's text. The text itself
 * is written only when asked for: when the trace is new.
 */
interface Walk {
  values: string[];
  trace: number[];
  text?: string[];
}

/** Templates compiled so far: each one's renderings are keyed apart from every other's. */
let compiledTemplates = 0;

class Shapes implements ShapedTemplate {
  /** Parsed shapes by trace; undefined: that shape is left to Handlebars. */
  private readonly parsed = new Map<string, Shape | undefined>();
  private readonly serial = ++compiledTemplates;

  constructor(
    private readonly body: Part[],
    private readonly partials: Map<string, Part[]>,
  ) {}

  render(context: unknown): { value: unknown; key: () => string } | undefined {
    const walk: Walk = { values: [], trace: [] };
    if (!this.walk(this.body, context, walk, 0)) return undefined;
    const trace = walk.trace.join(',');
    let shape = this.parsed.get(trace);
    if (shape === undefined && !this.parsed.has(trace)) {
      const write: Walk = { values: [], trace: [], text: [] };
      this.walk(this.body, context, write, 0);
      if (this.parsed.size >= MAX_SHAPES) this.parsed.clear();
      this.parsed.set(trace, (shape = parseShape(write.text!.join(''))));
    }
    if (shape === undefined) return undefined;
    return { value: fill(shape, walk.values), key: () => `${this.serial}\u0000${trace}\u0000${JSON.stringify(walk.values)}` };
  }

  /** Walks the parts; false: something only Handlebars can say. */
  private walk(parts: Part[], context: unknown, walk: Walk, depth: number): boolean {
    const { values, text } = walk;
    for (const part of parts) {
      switch (part.kind) {
        case 'text':
          text?.push(part.text);
          break;
        case 'value': {
          const raw = contentOf(lookUp(context, part.path));
          if (raw === undefined) return false;
          text?.push(`${OPEN}${values.length}${CLOSE}`);
          values.push(raw);
          break;
        }
        case 'strings': {
          const list = lookUp(context, part.path);
          if (!Array.isArray(list)) return false;
          walk.trace.push(list.length);
          for (const [i, item] of list.entries()) {
            const raw = item === null || item === undefined ? undefined : contentOf(item);
            if (raw === undefined) return false;
            text?.push(`${i > 0 ? ', ' : ''}"${OPEN}${values.length}${CLOSE}"`);
            values.push(raw);
          }
          break;
        }
        case 'if': {
          const condition = lookUp(context, part.path);
          if (condition === MISSING || typeof condition === 'function') return false;
          // Handlebars' `if`: false for a falsy value or an empty list.
          const truthy = Array.isArray(condition) ? condition.length > 0 : Boolean(condition);
          walk.trace.push(truthy ? 1 : 0);
          if (!this.walk(truthy ? part.then : part.otherwise, context, walk, depth)) return false;
          break;
        }
        case 'partial': {
          // Handlebars indents a standalone partial's lines: whitespace between JSON tokens, which no value sees.
          const partial = this.partials.get(part.name);
          if (!partial || depth > 20 || !this.walk(partial, context, walk, depth + 1)) return false;
          break;
        }
      }
    }
    return true;
  }
}

const MISSING = Symbol('missing');

/** The value at a path of own properties, or MISSING. */
function lookUp(context: unknown, path: string[]): unknown {
  let at = context;
  for (const name of path) {
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, name)) return MISSING;
    at = (at as Record<string, unknown>)[name];
  }
  return at;
}

/**
 * What JSON.parse reads for a value written inside a JSON string, or undefined when that is not
 * simply its text: a value that is not valid string content, or not text, a number or a boolean.
 */
function contentOf(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  if (!/["\\\u0000-\u001f]/.test(value)) return value;
  // Valid content exactly when it makes one JSON string between two quotes: an unescaped quote ends it early.
  try {
    return JSON.parse(`"${value}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * The shape's parsed value, or undefined when it is no JSON. JSON.parse itself refuses a marker that is
 * not plainly inside a string: its first character is no JSON outside a string, and no escape after a
 * backslash (`\{{x}}`, `\u00{{x}}`).
 */
function parseShape(text: string): Shape | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return toShape(value);
}

function toShape(value: unknown): Shape | undefined {
  if (typeof value === 'string') return value.includes(OPEN) ? filled(value) : value;
  if (value === null || typeof value !== 'object') return value as Shape;
  if (Array.isArray(value)) {
    const items: Shape[] = [];
    for (const item of value) {
      const shape = toShape(item);
      if (shape === undefined) return undefined;
      items.push(shape);
    }
    return items;
  }
  const keys = Object.keys(value);
  const values: Shape[] = [];
  for (const k of keys) {
    const shape = toShape((value as Record<string, unknown>)[k]);
    if (shape === undefined) return undefined;
    values.push(shape);
  }
  return { keys: keys.map((k) => (k.includes(OPEN) ? filled(k) : k)), values };
}

function filled(text: string): Filled {
  const texts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (let at = text.indexOf(OPEN); at >= 0; at = text.indexOf(OPEN, from)) {
    const end = text.indexOf(CLOSE, at);
    texts.push(text.slice(from, at));
    slots.push(Number(text.slice(at + 1, end)));
    from = end + 1;
  }
  texts.push(text.slice(from));
  return { texts, slots };
}

function fill(shape: Shape, values: string[]): unknown {
  if (shape === null || typeof shape !== 'object') return shape;
  if (Array.isArray(shape)) return shape.map((s) => fill(s, values));
  if ('texts' in shape) return fillText(shape, values);
  // As JSON.parse makes an object: a key given twice keeps its first place and its last value, and
  // `__proto__` is a key like any other.
  const out: Record<string, unknown> = {};
  for (let i = 0; i < shape.keys.length; i++) {
    const k = shape.keys[i];
    const key = typeof k === 'string' ? k : fillText(k, values);
    const value = fill(shape.values[i], values);
    if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}

function fillText(shape: Filled, values: string[]): string {
  let out = shape.texts[0];
  for (let i = 0; i < shape.slots.length; i++) out += values[shape.slots[i]] + shape.texts[i + 1];
  return out;
}
