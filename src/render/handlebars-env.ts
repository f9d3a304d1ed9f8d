import Handlebars from 'handlebars';
import { shapeTemplate, ShapedTemplate } from './template-shapes';

/**
 * Rendering is JSON-safe by construction:
 * - `noEscape`: Handlebars' HTML escaping never touches output;
 * - `strict`: a missing field is an error, never an empty string;
 * - every string of the view model is JSON-escaped once, by `jsonEscapeDeep`, before rendering,
 *   so a value written inside a JSON string (`"{{name}}"`) can never leave it. Triple-stash
 *   (`{{{name}}}`) is the same as `{{name}}` here: there is no unescaped path.
 */
export interface Render {
  (context: unknown): string;
  /** The same rendering as a JSON value, made without Handlebars where the template allows (template-shapes.ts). */
  shaped?: ShapedTemplate;
}

const env = Handlebars.create();

/** `{{strings list}}` writes `"a", "b"`: a list of (already escaped) strings as JSON array items. */
export function stringsHelper(list: unknown): string {
  if (!Array.isArray(list)) throw new Error('strings: expected a list');
  return list.map((item) => `"${String(item)}"`).join(', ');
}
env.registerHelper('strings', stringsHelper);

export function compileTemplate(source: string): Render {
  // Parsed now, so that a syntax error is reported when templates load, not halfway through a run; the
  // tree is the shapes' too. (Handlebars compiles from the text: its parse applies the whitespace rules,
  // which a parsed tree has had already.)
  const program = env.parse(source);
  const template = env.compile(source, { strict: true, noEscape: true, knownHelpersOnly: false });
  const render: Render = (context) => template(context);
  render.shaped = shapeTemplate(program, Object.keys(env.helpers));
  return render;
}

/** JSON string content for a value: what sits between the quotes of `JSON.stringify(value)`. */
export function jsonEscape(value: string): string {
  // Most values need no escape: then the value itself, not a slice of a new string that would hold it.
  return /["\\\u0000-\u001f\ud800-\udfff]/.test(value) ? JSON.stringify(value).slice(1, -1) : value;
}

/** A copy of `value` in which every string is JSON-escaped. Numbers and booleans stay as they are. */
export function jsonEscapeDeep<T>(value: T): T {
  if (typeof value === 'string') return jsonEscape(value) as T;
  if (Array.isArray(value)) return value.map(jsonEscapeDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonEscapeDeep(v)])) as T;
  }
  return value;
}
