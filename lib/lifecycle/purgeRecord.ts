import { JobActiveError, JobNotFoundError } from '../errors.js';
import { epochSeconds, isGone } from '../jobs/isGone.js';
import type { JobStore } from '../jobs/jobStore.js';
import { parseEta } from '../jobs/parseEta.js';
import type { JobItem } from '../jobs/types.js';

/** How long a purged job's tombstone outlives its ETA, so messages still in flight claim nothing. */
const TOMBSTONE_SECONDS = 24 * 3600;

/**
 * Deletes a finished job's record (purge) and returns it as it was: a tombstone
 * rather than a delete, so a message still on its way (an ETA hop, a duplicate)
 * claims nothing instead of landing in the DLQ as "unknown job". Throws
 * JobNotFoundError (none, expired, purged already), or JobActiveError while it is active.
 */
export async function purgeRecord(deps: { store: JobStore }, jobId: string): Promise<JobItem> {
  const { item, refused } = await deps.store.purge(jobId, epochSeconds() + TOMBSTONE_SECONDS);
  if (!item) {
    if (!refused || isGone(refused)) throw new JobNotFoundError(jobId);
    throw new JobActiveError(jobId, refused.status);
  }
  // An ETA far ahead keeps its message hopping until then: keep the tombstone past it.
  if (item.eta) await deps.store.extendTombstone(jobId, Math.floor(parseEta(item.eta) / 1000) + TOMBSTONE_SECONDS);
  return item;
}
