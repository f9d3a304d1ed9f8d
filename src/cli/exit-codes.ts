/** The exit codes of every command: 0 success, 1 a check failed or a difference, 2 bad input or usage. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
