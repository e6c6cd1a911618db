/** The long-poll's read times, on a fake clock: when a final write is seen, and how many reads a wait costs. */
import { describe, expect, it } from 'vitest';
import { POLL_FAST_FOR_MS, POLL_FAST_MS, POLL_MAX_INTERVAL_MS, pollUntil } from '../../lib/longPoll/pollUntil.js';

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
