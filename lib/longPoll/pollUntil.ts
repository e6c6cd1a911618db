/**
 * The pause before each read of a long-poll. For the first POLL_FAST_FOR_MS it
 * reads every POLL_FAST_MS, so a job that ends then (most short jobs end within
 * a second or two of their submit) is answered within about 50 ms of its final
 * write; then the pauses grow, and the reads settle at one per second, so a 20 s
 * wait costs about 70 consistent reads however many clients wait.
 */
export const POLL_FAST_MS = 40;
export const POLL_FAST_FOR_MS = 2000;
export const POLL_STEPS_MS: readonly number[] = [250, 500];
export const POLL_MAX_INTERVAL_MS = 1000;

export interface PollOptions {
  /** How long to wait at most, in ms. */
  waitMs: number;
  /** Tests count the reads; production sleeps with setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `done(value)` holds or `waitMs` has passed, and returns the last
 * value read. The first read is at once, so a value that is already done answers
 * without waiting; the last read is at the deadline, so the answer is the state
 * at that moment.
 */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, opts: PollOptions): Promise<T> {
  const sleep = opts.sleep ?? sleepMs;
  const now = opts.now ?? Date.now;
  const start = now();
  const deadline = start + opts.waitMs;
  let value = await read();
  for (let step = 0; !done(value); ) {
    const t = now();
    const left = deadline - t;
    if (left <= 0) break;
    const pause = t - start < POLL_FAST_FOR_MS ? POLL_FAST_MS : (POLL_STEPS_MS[step++] ?? POLL_MAX_INTERVAL_MS);
    await sleep(Math.min(left, pause));
    value = await read();
  }
  return value;
}
