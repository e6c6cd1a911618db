/** The long-poll's read times, on a fake clock: when a final write is seen, and how many reads a wait costs. */
import { describe, expect, it } from 'vitest';
import { POLL_FAST_FOR_MS, POLL_FAST_MS, POLL_MAX_INTERVAL_MS, POLL_STEADY_MS, pollUntil, STEADY } from '../../lib/longPoll/pollUntil.js';
import { waitForJob } from '../../lib/longPoll/waitForJob.js';
import type { JobItem } from '../../lib/jobs/types.js';

/** Polls a value that becomes done at `doneAt` ms on a fake clock; returns the read times. */
async function readsUntil(doneAt: number, waitMs: number) {
  let t = 0;
  const reads: number[] = [];
  await pollUntil(
    async () => (reads.push(t), t >= doneAt),
    (done) => done,
    { waitMs, now: () => t, sleep: async (ms) => void (t += ms) },
  );
  return reads;
}

describe('pollUntil', () => {
  it.each([0, 1, 39, 40, 41, 777, 1999])('sees a final write at %i ms within one fast interval (%#)', async (doneAt) => {
    const reads = await readsUntil(doneAt, 20_000);
    expect(reads.at(-1)! - doneAt).toBeGreaterThanOrEqual(0);
    expect(reads.at(-1)! - doneAt).toBeLessThanOrEqual(POLL_FAST_MS);
  });

  it('later, within the slowest interval; a 20 s wait reads about 70 times, the last at the deadline', async () => {
    const late = await readsUntil(7_500, 20_000);
    expect(late.at(-1)! - 7_500).toBeLessThanOrEqual(POLL_MAX_INTERVAL_MS);
    const never = await readsUntil(Infinity, 20_000);
    expect(never.at(-1)).toBe(20_000);
    expect(never.length).toBeLessThanOrEqual(1 + POLL_FAST_FOR_MS / POLL_FAST_MS + 2 + 18);
  });
});

describe('the last read', () => {
  it.each([1, 7, 39, 55])('is made at the deadline or after, when each read takes %i ms (a read that ends past the deadline is followed by one more)', async (readMs) => {
    let t = 0;
    const reads: number[] = [];
    const read = async (elapsed: number) => {
      reads.push(elapsed);
      t += readMs;
      return false;
    };
    await pollUntil(read, (done) => done, {
      waitMs: 3_000,
      schedule: STEADY,
      now: () => t,
      sleep: async (ms) => void (t += ms),
    });
    expect(reads.at(-1)).toBeGreaterThanOrEqual(3_000);
    expect(reads.filter((at) => at >= 3_000)).toHaveLength(1);
  });
});

describe('the STEADY schedule (a job)', () => {
  it('sees a final write after the fast phase within 50 ms; a 20 s wait reads about 500 times', async () => {
    for (const doneAt of [2_001, 7_500, 19_950]) {
      let t = 0;
      const reads: number[] = [];
      await pollUntil(async () => (reads.push(t), t >= doneAt), (done) => done, { waitMs: 20_000, schedule: STEADY, now: () => t, sleep: async (ms) => void (t += ms) });
      expect(reads.at(-1)! - doneAt).toBeGreaterThanOrEqual(0);
      // The bound: `?wait` answers at most 50 ms after the final write (the pause, then one read).
      expect(reads.at(-1)! - doneAt).toBeLessThanOrEqual(50);
    }
    let t = 0;
    let reads = 0;
    await pollUntil(async () => (reads++, false), (done) => done, { waitMs: 20_000, schedule: STEADY, now: () => t, sleep: async (ms) => void (t += ms) });
    expect(reads).toBeLessThanOrEqual(1 + POLL_FAST_FOR_MS / POLL_FAST_MS + 18_000 / POLL_STEADY_MS + 2);
  });
});

describe('waitForJob', () => {
  /** A job that turns SUCCESS at `doneAt` (fake ms); eventually consistent reads see `eventual(t)`. */
  function fakeStore(doneAt: number, eventual: (t: number, job: JobItem) => JobItem | undefined) {
    let t = 0;
    const log: { t: number; consistent: boolean }[] = [];
    const jobAt = (at: number) => ({ job_id: 'j', status: at >= doneAt ? 'SUCCESS' : 'STARTED' }) as unknown as JobItem;
    const store = {
      async get(_id: string, opts: { consistent?: boolean } = {}) {
        const consistent = opts.consistent ?? true;
        log.push({ t, consistent });
        return consistent ? jobAt(t) : eventual(t, jobAt(t));
      },
    };
    return { store, log, clock: { now: () => t, sleep: async (ms: number) => void (t += ms) } };
  }

  it('never answers 404 for a job an eventually consistent read does not show yet', async () => {
    const { store, log, clock } = fakeStore(Infinity, () => undefined);
    const job = await waitForJob(store, 'j', 3, clock);
    expect(job.status).toBe('STARTED');
    expect(log.filter((r) => !r.consistent).length).toBeGreaterThan(0);
    expect(log.at(-1)!.consistent).toBe(true);
  });

  it('answers a final state an eventually consistent read shows only after reading it consistently', async () => {
    const { store, log, clock } = fakeStore(5_000, (_t, job) => job);
    const job = await waitForJob(store, 'j', 20, clock);
    expect(job.status).toBe('SUCCESS');
    expect(log.at(-1)).toEqual({ t: log.at(-2)!.t, consistent: true });
    expect(log.at(-2)!.consistent).toBe(false);
    expect(log.at(-1)!.t - 5_000).toBeLessThanOrEqual(POLL_STEADY_MS);
    // Consistent reads: the fast phase's, and the one that confirms.
    expect(log.filter((r) => r.consistent).length).toBeLessThanOrEqual(1 + POLL_FAST_FOR_MS / POLL_FAST_MS + 1);
  });

  it('reads an eventually consistent read that is behind again on schedule, and answers the final state within POLL_STEADY_MS of it', async () => {
    // Eventually consistent reads lag 250 ms behind.
    const { store, log, clock } = fakeStore(5_000, (t) => ({ job_id: 'j', status: t - 250 >= 5_000 ? 'SUCCESS' : 'STARTED' }) as unknown as JobItem);
    const job = await waitForJob(store, 'j', 20, clock);
    expect(job.status).toBe('SUCCESS');
    expect(log.at(-1)!.t - 5_250).toBeLessThanOrEqual(POLL_STEADY_MS);
  });
});
