/**
 * The test kit's one way to wait. Tests wait for a condition (`until`), never for a
 * guessed time; `sleep` is for pacing a loop or holding a state on purpose.
 */

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface UntilOptions {
  /** How long to keep trying (default 20 s). */
  timeoutMs?: number;
  /** The pause between tries (default 50 ms). */
  everyMs?: number;
  /** Treat a probe that throws as "not yet" (a server that is restarting); by default the error fails the wait. */
  ignoreErrors?: boolean;
}

const show = (value: unknown) => {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 2_000 ? `${text.slice(0, 2_000)}...` : text;
};

/**
 * Polls `probe` until it answers something other than `undefined` or `false`, and
 * returns that. Fails with `timed out after N ms waiting for <what>; last: ...`
 * (the last answer or error), so a failure says what was awaited and what was seen.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, options: UntilOptions = {}): Promise<T> {
  const { timeoutMs = 20_000, everyMs = 50, ignoreErrors = false } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await probe();
    } catch (err) {
      if (!ignoreErrors) throw err;
      last = err;
    }
    if (last !== undefined && last !== false && !(ignoreErrors && last instanceof Error)) return last as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${show(last)}`);
    await sleep(everyMs);
  }
}

/** The error a promise rejects with; throws when it resolves instead. */
export async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}
