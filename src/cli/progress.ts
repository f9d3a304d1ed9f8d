/** A run over more than this many projects shows a progress bar (on a terminal). */
export const PROGRESS_FROM = 200;

export interface Progress {
  update(done: number, total: number): void;
  /** Clears the bar, so that what the command prints next starts on a clean line. */
  end(): void;
}

const SILENT: Progress = { update() {}, end() {} };

/**
 * A progress bar on standard error: a bar, a count and the time left, redrawn at most ten times a
 * second. Only on a terminal: nothing when piped or in CI (`CI` set), nor with `--quiet`.
 */
export function progressBar(stream: { isTTY?: boolean; columns?: number; write(text: string): boolean }, options: { quiet?: boolean; env?: NodeJS.ProcessEnv; now?: () => number } = {}): Progress {
  const env = options.env ?? process.env;
  if (options.quiet || !stream.isTTY || env.CI) return SILENT;
  const now = options.now ?? Date.now;
  const started = now();
  let drawn = 0;
  let shown = false;
  return {
    update(done, total) {
      if (total <= PROGRESS_FROM) return;
      const t = now();
      if (done < total && t - drawn < 100) return;
      drawn = t;
      shown = true;
      stream.write(`\r${progressLine(done, total, t - started, stream.columns || 80)}`);
    },
    end() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** `[#########-----------]  4500/10000 projects, about 3 s left`, cut to the terminal's width. */
export function progressLine(done: number, total: number, elapsedMs: number, columns: number): string {
  const width = 20;
  const filled = Math.round((width * done) / total);
  // The first projects of a run are the slowest (code warms up): no estimate from them.
  const left = done >= Math.max(10, total / 50) ? Math.ceil(((total - done) * elapsedMs) / done / 1000) : undefined;
  const eta = done >= total ? 'done' : done === 0 ? 'starting' : left === undefined ? 'estimating the time left' : `about ${left} s left`;
  const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(done).padStart(String(total).length)}/${total} projects, ${eta}`;
  return line.slice(0, Math.max(0, columns - 1));
}
