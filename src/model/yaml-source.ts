import * as yaml from 'js-yaml';
import { Problem } from '../problems';

export type YamlPath = readonly (string | number)[];

export interface Position {
  line: number;
  column: number;
}

/** A node of js-yaml's composition, as seen through its `listener` option. */
interface YamlNode {
  kind: string;
  start: number;
  end: number;
  result: unknown;
  children: YamlNode[];
}

/** A parsed YAML document that can say where any value or key came from. */
export class YamlSource {
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
    readonly value: unknown,
    private readonly root: YamlNode | undefined,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  /** Position of the value at `path`, or of its nearest ancestor that exists in the text. */
  locate(path: YamlPath): Position {
    return this.positionOf(this.find(path).node);
  }

  /** Position of the key that names the last segment of `path` (for unknown fields). */
  locateKey(path: YamlPath): Position {
    const { node, key } = this.find(path);
    return this.positionOf(key ?? node);
  }

  /** The value's text as written, e.g. `012345678901` for a number that YAML read as 12345678901. */
  sourceText(path: YamlPath): string | undefined {
    const { node, complete } = this.find(path);
    return complete && node ? this.text.slice(node.start, node.end).trim() : undefined;
  }

  private find(path: YamlPath): { node?: YamlNode; key?: YamlNode; complete: boolean } {
    let node = this.root;
    let key: YamlNode | undefined;
    for (const segment of path) {
      const next = node && child(node, segment);
      if (!next) return { node, complete: false };
      ({ node, key } = next);
    }
    return { node, key, complete: true };
  }

  private positionOf(node: YamlNode | undefined): Position {
    if (!node) return { line: 1, column: 1 };
    let offset = node.start;
    // A node starts right after the indicator that introduces it: skip to its first character.
    while (offset < this.text.length && /[\s]/.test(this.text[offset])) offset++;
    let line = 0;
    while (line + 1 < this.lineStarts.length && this.lineStarts[line + 1] <= offset) line++;
    return { line: line + 1, column: offset - this.lineStarts[line] + 1 };
  }
}

function child(node: YamlNode, segment: string | number): { node: YamlNode; key?: YamlNode } | undefined {
  if (node.kind === 'sequence' && typeof segment === 'number') {
    const item = node.children[segment];
    return item && { node: item };
  }
  if (node.kind === 'mapping') {
    // A mapping's children alternate: key, value, key, value...
    for (let i = 0; i + 1 < node.children.length; i += 2) {
      if (String(node.children[i].result) === String(segment)) {
        return { node: node.children[i + 1], key: node.children[i] };
      }
    }
  }
  return undefined;
}

/** Where flow collections (`[`, `{`) first nest 100 deep: where to look. 1:1 when they never do. */
function deepest(text: string): Position {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    } else if (c === '[' || c === '{') {
      if (++depth === 100) return { line, column: i - lineStart + 1 };
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return { line: 1, column: 1 };
}

/** More values than any project file has, even with a few hundred resources of many fields. */
const MAX_VALUES = 100_000;

/** Does the value, aliases expanded (each shared reference counted as often as it appears), hold more than `limit` values? */
function tooManyValues(value: unknown, limit: number): boolean {
  let count = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (++count > limit) return true;
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
  return false;
}

export type ParsedYaml = { source: YamlSource; problems: [] } | { source?: undefined; problems: Problem[] };

/** Parses one YAML file. A syntax error is a Problem with its line and column, never an exception. */
export function parseYaml(file: string, text: string): ParsedYaml {
  const stack: YamlNode[] = [];
  let root: YamlNode | undefined;
  try {
    const value = yaml.load(text, {
      filename: file,
      schema: yaml.CORE_SCHEMA,
      listener(event, state) {
        if (event === 'open') {
          stack.push({ kind: '', start: state.position, end: state.position, result: undefined, children: [] });
          return;
        }
        const node = stack.pop();
        if (!node) return;
        node.kind = state.kind ?? 'null';
        node.result = state.result;
        node.end = state.position;
        if (stack.length > 0) stack[stack.length - 1].children.push(node);
        else root = node;
      },
    });
    const aliases = text.search(/(^|[\s,[{:-])\*[^\s,\]}]/m);
    if (aliases >= 0 && tooManyValues(value, MAX_VALUES)) {
      const at = aliases + (/\*/.exec(text.slice(aliases))?.index ?? 0);
      const before = text.slice(0, at).split('\n');
      return {
        problems: [
          {
            code: 'yaml-alias',
            severity: 'error',
            message: `YAML aliases here expand to more than ${MAX_VALUES.toLocaleString('en-US')} values: an alias repeats all that its anchor names, and aliases of aliases multiply ("billion laughs")`,
            hint: 'Write the values out, or use fewer nested aliases: a project needs no more than a few hundred values.',
            file,
            line: before.length,
            column: before[before.length - 1].length + 1,
          },
        ],
      };
    }
    return { source: new YamlSource(file, text, value, root), problems: [] };
  } catch (error) {
    if (error instanceof RangeError) {
      // js-yaml reads nested collections recursively: thousands of levels overflow the stack.
      return {
        problems: [
          { code: 'yaml-too-deep', severity: 'error', message: 'the YAML is nested too deeply to read', hint: 'A project is a few levels deep: remove the nesting.', file, ...deepest(text) },
        ],
      };
    }
    if (!(error instanceof yaml.YAMLException)) throw error;
    return {
      problems: [
        {
          code: 'yaml-syntax',
          severity: 'error',
          message: `YAML syntax error: ${error.reason}`,
          hint: 'Fix the YAML at this position; a YAML linter or your editor\'s YAML mode shows the structure.',
          file,
          line: error.mark ? error.mark.line + 1 : undefined,
          column: error.mark ? error.mark.column + 1 : undefined,
        },
      ],
    };
  }
}
