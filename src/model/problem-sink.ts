import { Problem, formatPath } from '../problems';
import { didYouMean } from './did-you-mean';
import { YamlPath, YamlSource } from './yaml-source';

/** Collects the problems of one project file, each pointing at its line, column and field. */
export class ProblemSink {
  readonly problems: Problem[] = [];
  constructor(readonly source: YamlSource) {}

  error(code: string, at: YamlPath, message: string, hint: string, options: { key?: boolean } = {}): void {
    const pos = options.key ? this.source.locateKey(at) : this.source.locate(at);
    this.problems.push({ code, severity: 'error', message, hint, file: this.source.file, ...pos, path: formatPath(at) || undefined });
  }

  /** Reports each key of `value` that is not one of `known`, with a did-you-mean. */
  unknownKeys(value: Record<string, unknown>, known: readonly string[], at: YamlPath, what: string): void {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const guess = didYouMean(key, known);
      this.error(
        'unknown-field',
        [...at, key],
        `unknown field ${JSON.stringify(key)} in ${what}${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''}`,
        guess ? `Rename it to ${guess}.` : `The fields of ${what} are: ${known.join(', ')}.`,
        { key: true },
      );
    }
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

