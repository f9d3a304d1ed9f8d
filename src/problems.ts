/**
 * Bad input is data: every check returns Problems instead of throwing, so that one run can
 * report everything that is wrong at once.
 */
export type Severity = 'error' | 'warning';

export interface Problem {
  /** Stable identifier, e.g. `account-not-string`; scripts and docs may rely on it. */
  code: string;
  severity: Severity;
  message: string;
  /** What to do about it. */
  hint?: string;
  file?: string;
  line?: number;
  column?: number;
  /** YAML path of the offending field, e.g. `resources[2].name`. */
  path?: string;
  /** For a finding about a generated policy: its file, e.g. `output/abc/viewer.json`, and statement. */
  policy?: string;
  sid?: string;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

/** `file:line:column: error code: message (path)`, or `policy [Sid]: ...`, then the hint on its own line. */
export function formatProblem(p: Problem): string {
  const where = p.policy
    ? `${p.policy}${p.sid ? ` [${p.sid}]` : ''}: `
    : p.file
      ? `${p.file}${p.line ? `:${p.line}:${p.column ?? 1}` : ''}: `
      : '';
  const field = p.path ? ` (field ${p.path})` : '';
  const hint = p.hint ? `\n  hint: ${p.hint}` : '';
  return `${where}${p.severity} ${p.code}: ${p.message}${field}${hint}`;
}

/** Of each kind of warning, this many are printed whole before the rest are counted. */
export const WARNINGS_SHOWN = 3;

/**
 * The problems as `generate`, `check` and `diff` print them: every error whole, and of each warning
 * code the first few whole, then one line counting the rest (as terraform does). Over thousands of
 * projects, one kind of warning can come a thousand times; `lint` lists them all.
 */
export function formatProblems(problems: readonly Problem[], shown = WARNINGS_SHOWN): string[] {
  const warnings = new Map<string, number>();
  for (const p of problems) if (p.severity === 'warning') warnings.set(p.code, (warnings.get(p.code) ?? 0) + 1);
  const printed = new Map<string, number>();
  const lines: string[] = [];
  for (const p of problems) {
    const total = warnings.get(p.code);
    if (p.severity === 'error' || total === undefined || total <= shown + 1) {
      lines.push(formatProblem(p));
      continue;
    }
    const count = (printed.get(p.code) ?? 0) + 1;
    printed.set(p.code, count);
    if (count <= shown) lines.push(formatProblem(p));
    if (count === shown) lines.push(`... and ${(total - shown).toLocaleString('en-US')} more ${p.code} warnings: codestar-policy lint lists them all`);
  }
  return lines;
}

/** Problems in file, line and column order, so that output is stable and reads top to bottom. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.policy ?? a.file ?? '').localeCompare(b.policy ?? b.file ?? '') ||
      (a.sid ?? '').localeCompare(b.sid ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.code.localeCompare(b.code),
  );
}
