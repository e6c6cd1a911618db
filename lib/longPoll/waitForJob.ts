import { JobNotFoundError } from '../errors.js';
import type { JobStore } from '../jobs/jobStore.js';
import { FINAL_STATES, type JobItem } from '../jobs/types.js';
import { POLL_FAST_FOR_MS, pollUntil, STEADY, type PollOptions } from './pollUntil.js';

/**
 * GET /jobs/{jobID}?wait=N: the job as soon as it is final (at once if it already
 * is), else as it stands after `waitSeconds`. Read on the STEADY schedule (see
 * pollUntil): a consistent GetItem every 40 ms for the first 2 s, then an
 * eventually consistent one every 40 ms, at half the cost, and a consistent one at
 * the end of the wait. What an eventually consistent read shows final or gone is
 * read again consistently before it is answered: such a read may be behind (a job
 * just created may not show yet), so a job is never answered 404 for it, and the
 * answer is always the latest record.
 *
 * @throws JobNotFoundError when the job does not exist, or goes (purged, expired) while waited for.
 */
export async function waitForJob(
  store: Pick<JobStore, 'get'>,
  jobId: string,
  waitSeconds: number,
  opts: Omit<PollOptions, 'waitMs' | 'schedule'> = {},
): Promise<JobItem> {
  const waitMs = waitSeconds * 1000;
  const ended = (j: JobItem | undefined) => !j || FINAL_STATES.includes(j.status);
  const read = async (elapsedMs: number) => {
    // The first 2 s, and the last read (the state at the end of the wait), are consistent.
    if (elapsedMs < POLL_FAST_FOR_MS || elapsedMs >= waitMs) return store.get(jobId);
    const seen = await store.get(jobId, { consistent: false });
    return ended(seen) ? store.get(jobId) : seen;
  };
  const job = await pollUntil(read, ended, { ...opts, schedule: STEADY, waitMs });
  if (!job) throw new JobNotFoundError(jobId);
  return job;
}
