import { JobNotFoundError } from '../errors.js';
import type { JobStore } from '../jobs/jobStore.js';
import { FINAL_STATES, type JobItem } from '../jobs/types.js';
import { pollUntil, type PollOptions } from './pollUntil.js';

/**
 * GET /jobs/{jobID}?wait=N: the job as soon as it is final (at once if it already
 * is), else as it stands after `waitSeconds`. One consistent GetItem per read,
 * at most one per second after the first second (see pollUntil).
 *
 * @throws JobNotFoundError when the job does not exist, or goes (purged, expired) while waited for.
 */
export async function waitForJob(
  store: Pick<JobStore, 'get'>,
  jobId: string,
  waitSeconds: number,
  opts: Omit<PollOptions, 'waitMs'> = {},
): Promise<JobItem> {
  const job = await pollUntil(
    () => store.get(jobId),
    (j) => !j || FINAL_STATES.includes(j.status),
    { ...opts, waitMs: waitSeconds * 1000 },
  );
  if (!job) throw new JobNotFoundError(jobId);
  return job;
}
