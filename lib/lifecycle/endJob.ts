import type { JobEnding } from '../jobs/jobEndings.js';
import type { JobStore } from '../jobs/jobStore.js';
import type { JobItem } from '../jobs/types.js';
import { giveSlotBack } from './slotChanges.js';

/** Whether a member's end must give a slot back to its group, as far as the item says. */
export const holdsSlot = (job: JobItem) => job.group_id !== undefined && job.dispatched === true && job.released !== true;

/** The facts of what a job holds (its group slot, its admission) that pick the ending write's variant. */
const holdings = (job: JobItem) => [job.dispatched, job.released, job.adm_queued, job.admitted, job.adm_released].join();

/**
 * The member-end write: ends a job (SUCCESS, FAILURE, CANCELLED; `ending` from
 * lib/jobs/jobEndings.ts), and gives back in the same transaction what it holds:
 * a group member's slot (its `released` flag and its group's counters change
 * together or not at all: slotChanges.ts, `giveSlotBack`), and on a queue with
 * admission its queue and tenant slot, or its place among its tenant's waiting
 * jobs (lib/jobs/admission.ts). Every end of a job goes through here; handing
 * slots on is handOverSlot's, after it.
 *
 * `undefined`: refused (the attempt or run no longer owns the job). `fresh`: `job`
 * was just read, so a refusal may be a race the caller looks at again itself;
 * else a refusal because what it holds changed since `job` was read (released,
 * admitted meanwhile) is written again, as it is now.
 */
export async function endJob(deps: { store: JobStore }, job: JobItem, ending: JobEnding, opts: { fresh?: boolean } = {}, depth = 0): Promise<JobItem | undefined> {
  const out = holdsSlot(job) ? await deps.store.end(job, ending, { write: 'release', header: giveSlotBack(job) }) : await deps.store.end(job, ending, { write: 'none' });
  if (out.item) return out.item;
  // The group is gone (purged) or replaced by a new one under its ID: nothing to give back there.
  if (out.headerRefused && !out.jobRefused) return (await deps.store.end(job, ending, { write: 'orphan' })).item;
  if (opts.fresh || depth >= 3) return undefined;
  const current = await deps.store.get(job.job_id);
  if (!current || current.run_id !== job.run_id || current.attempt !== job.attempt || holdings(current) === holdings(job)) return undefined;
  return endJob(deps, current, ending, {}, depth + 1);
}
