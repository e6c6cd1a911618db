/**
 * The pause before each read of a long-poll. For the first POLL_FAST_FOR_MS it
 * reads every POLL_FAST_MS, so a job that ends then (most short jobs end within
 * a second or two of their submit) is answered within about 50 ms of its final
 * write. Then a schedule (below) decides: BACKING_OFF grows the pauses to one per
 * second (a 20 s wait: about 70 consistent reads); STEADY, a job's, keeps reading
 * every POLL_STEADY_MS.
 */
export const POLL_FAST_MS = 40;
export const POLL_FAST_FOR_MS = 2000;
export const POLL_STEPS_MS: readonly number[] = [250, 500];
export const POLL_MAX_INTERVAL_MS = 1000;

/**
 * A job's long-poll after its first POLL_FAST_FOR_MS: one read every POLL_STEADY_MS
 * to the end of the wait, so a long job too is answered within 50 ms of its final
 * write (the pause and one read). Those reads are eventually consistent, at half the
 * cost of a consistent one (waitForJob), so a 20 s wait costs about 275 read units.
 */
export const POLL_STEADY_MS = 40;

/** The pause before the next read: `elapsedMs` since the first read, `step` counting the pauses after the fast ones. */
export type PollSchedule = (elapsedMs: number, step: number) => number;

/** Every POLL_FAST_MS, then growing pauses up to one a second (groups, notify: a read there costs more). */
export const BACKING_OFF: PollSchedule = (elapsedMs, step) => (elapsedMs < POLL_FAST_FOR_MS ? POLL_FAST_MS : (POLL_STEPS_MS[step] ?? POLL_MAX_INTERVAL_MS));

/** Every POLL_FAST_MS, then every POLL_STEADY_MS (a job: one item). */
export const STEADY: PollSchedule = (elapsedMs) => (elapsedMs < POLL_FAST_FOR_MS ? POLL_FAST_MS : POLL_STEADY_MS);

export interface PollOptions {
  /** How long to wait at most, in ms. */
  waitMs: number;
  /** The pauses between reads; default BACKING_OFF. */
  schedule?: PollSchedule;
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
export async function pollUntil<T>(read: (elapsedMs: number) => Promise<T>, done: (value: T) => boolean, opts: PollOptions): Promise<T> {
  const sleep = opts.sleep ?? sleepMs;
  const now = opts.now ?? Date.now;
  const schedule = opts.schedule ?? BACKING_OFF;
  const start = now();
  const deadline = start + opts.waitMs;
  let value = await read(0);
  let readAt = 0;
  for (let step = 0; !done(value); ) {
    const t = now();
    const left = deadline - t;
    // The answer is a read made at the deadline or after: a read that began before it and
    // ended past it (a slow read, a timer that fired early) is followed by one more.
    if (left <= 0 && readAt >= opts.waitMs) break;
    const elapsed = t - start;
    const pause = schedule(elapsed, step);
    if (elapsed >= POLL_FAST_FOR_MS) step++;
    if (left > 0) await sleep(Math.min(left, pause));
    readAt = now() - start;
    value = await read(readAt);
  }
  return value;
}
