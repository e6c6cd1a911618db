import { JobFinishedError, JobNotFoundError } from '../errors.js';
import { cancelledByRequest } from '../jobs/jobEndings.js';
import type { JobStore } from '../jobs/jobStore.js';
import { ACTIVE_STATES, type JobItem } from '../jobs/types.js';
import { endJob } from './endJob.js';

/** How often a cancel reads the job again when it changed under the write (claimed, finished, slot released). */
const TRIES = 10;

/**
 * Cancels a waiting or running job's record: the member-end write (a member
 * holding a slot gives it back in the same write). Returns the job as it was
 * before (its running query, if any, is for the caller to kill) and after.
 * Throws JobNotFoundError, or JobFinishedError.
 */
export async function cancelRecord(deps: { store: JobStore }, jobId: string): Promise<{ before: JobItem; after: JobItem }> {
  for (let tries = 1; ; tries++) {
    const current = await deps.store.get(jobId);
    if (!current) throw new JobNotFoundError(jobId);
    if (!ACTIVE_STATES.includes(current.status)) throw new JobFinishedError(jobId, current.status);
    const after = await endJob(deps, current, cancelledByRequest(current), { fresh: true });
    if (after) return { before: current, after };
    // Changed under us: look again, a few times.
    if (tries >= TRIES) throw new Error(`cancel of job "${jobId}": it kept changing; try again`);
  }
}
