/** Below this many projects a run stays in one thread: starting workers costs more than it saves. */
export const WORKER_THRESHOLD = 200;
