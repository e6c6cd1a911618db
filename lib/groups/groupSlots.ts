import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import { parseEta } from '../jobs/parseEta.js';
import type { JobItem } from '../jobs/types.js';
import type { GroupStore } from './groupStore.js';
import { groupKey } from './types.js';

export interface SlotDeps {
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
}

/**
 * Fills one free slot of a group: takes the next member in submission order and
 * sends its message. A member that ended before its turn (cancelled) is counted
 * as finished and skipped, so the slot goes to the one after it. Returns false
 * when no member is left (or the group is cancelled).
 *
 * Exactness: positions are taken with a conditional counter (each exactly once),
 * and a member is marked dispatched with a conditional write that a cancel of the
 * same member serialises with, so a slot is never used twice.
 */
export async function fillSlot(deps: SlotDeps, groupId: string): Promise<boolean> {
  for (;;) {
    const index = await deps.groups.takeNextIndex(groupId);
    if (index === undefined) return false;
    const jobId = await deps.groups.jobIdAt(groupId, index);
    const job = jobId === undefined ? undefined : await deps.store.markDispatched(jobId);
    if (!job) {
      await deps.groups.addFinished(groupId);
      continue;
    }
    const etaMs = job.eta ? parseEta(job.eta) : undefined;
    const reuse = job.max_age === undefined ? {} : { max_age: job.max_age }; // result reuse (lib/reuse)
    await deps.queue.send(job.queue, { job_id: job.job_id, run_id: job.run_id, queue: job.queue, attempt: 0, ...reuse }, etaMs);
    return true;
  }
}

/**
 * A member that held a slot has ended (SUCCESS, FAILURE or CANCELLED): count it
 * and hand its slot to the next member at once. Idempotent: a flag on the member,
 * set in the same transaction as the count, makes a repeated call (a redelivered
 * message after a worker died half-way) do nothing.
 */
export async function releaseSlot(deps: SlotDeps, job: JobItem): Promise<void> {
  if (!job.group_id || !job.dispatched || job.released) return;
  if (!(await deps.store.markReleased(job, groupKey(job.group_id)))) return;
  await fillSlot(deps, job.group_id);
}
