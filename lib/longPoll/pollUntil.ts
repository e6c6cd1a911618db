/**
 * The pause before each read of a long-poll: a final state that comes soon is
 * seen soon, and after the first second the reads settle at one per second, so a
 * 20 s wait costs about 22 consistent reads however many clients wait.
 */
export const POLL_STEPS_MS: readonly number[] = [100, 150, 250, 500];
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
  const deadline = now() + opts.waitMs;
  let value = await read();
  for (let step = 0; !done(value); step++) {
    const left = deadline - now();
    if (left <= 0) break;
    await sleep(Math.min(left, POLL_STEPS_MS[step] ?? POLL_MAX_INTERVAL_MS));
    value = await read();
  }
  return value;
}
