import type { JobStore } from './jobStore.js';
import { ASK_EVERY_MS } from './orphanAfter.js';
import { ACTIVE_STATES, type JobItem } from './types.js';

/**
 * Someone asked about `job` (a status read, a long-poll, a results read): its
 * `asked_at` moves, and so does its leader's when it is a parked coalesced waiter
 * (someone still wants the leader's result). At most one write per job every
 * ASK_EVERY_MS (a quarter of a shorter `orphan_after`); never fails the read
 * that asked: a failed write only brings the orphan cancel a little closer.
 */
export async function askedAbout(store: Pick<JobStore, 'touch'>, job: JobItem, nowMs = Date.now()): Promise<void> {
  if (job.orphan_after === undefined || !ACTIVE_STATES.includes(job.status)) return;
  const cut = nowMs - Math.min(ASK_EVERY_MS, job.orphan_after * 250);
  const leader = job.waits_for?.slice(0, job.waits_for.lastIndexOf('#'));
  await Promise.all([
    (job.asked_at ?? 0) < cut ? store.touch(job.job_id, nowMs, cut) : undefined,
    leader ? store.touch(leader, nowMs, cut) : undefined,
  ]).catch(() => undefined);
}
