/**
 * An ARN format as written in a template's front matter, e.g.
 * `arn:${partition}:codebuild:${region}:${account}:project/${name}`.
 * The same format builds a resource's ARN from its fields and reads the fields back from an ARN.
 */
export interface ArnFields {
  partition: string;
  region: string;
  account: string;
  fields: Record<string, string>;
}

const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;
const CONTEXT = new Set(['partition', 'region', 'account']);

export class ArnFormat {
  readonly placeholders: string[];
  private readonly pattern: RegExp;

  constructor(readonly format: string) {
    this.placeholders = [...format.matchAll(PLACEHOLDER)].map((m) => m[1]);
    let source = '';
    let last = 0;
    for (const match of format.matchAll(PLACEHOLDER)) {
      source += literal(format.slice(last, match.index));
      // Partition, region and account never contain ':'; a field may contain anything its rule allows,
      // or nothing at all when it is optional (a package without a namespace: `npm//name`).
      source += CONTEXT.has(match[1]) ? '([^:]*)' : '(.*?)';
      last = (match.index ?? 0) + match[0].length;
    }
    source += literal(format.slice(last));
    this.pattern = new RegExp(`^${source}$`);
  }

  /** Field names other than partition, region and account. */
  get fieldNames(): string[] {
    return this.placeholders.filter((p) => !CONTEXT.has(p));
  }

  build(values: Record<string, string>): string {
    return this.format.replace(PLACEHOLDER, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`ARN format ${this.format} needs ${name}`);
      return value;
    });
  }

  /** The fields of `arn`, or undefined when the ARN does not have this format. */
  parse(arn: string): ArnFields | undefined {
    const match = this.pattern.exec(arn);
    if (!match) return undefined;
    const out: ArnFields = { partition: '', region: '', account: '', fields: {} };
    this.placeholders.forEach((name, i) => {
      const value = match[i + 1];
      if (name === 'partition' || name === 'region' || name === 'account') out[name] = value;
      else out.fields[name] = value;
    });
    return out;
  }

  get hasRegion(): boolean {
    return this.placeholders.includes('region');
  }

  get hasAccount(): boolean {
    return this.placeholders.includes('account');
  }
}

/** A format's literal text as a regular expression; a literal `*` (e.g. `stack/${name}/*`) matches any suffix. */
function literal(text: string): string {
  return text
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
}
