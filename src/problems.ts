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
