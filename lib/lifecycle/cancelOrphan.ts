import type { Logger } from '@aws-lambda-powertools/logger';
import { orphaned } from '../jobs/jobEndings.js';
import type { JobItem } from '../jobs/types.js';
import type { Announcer } from '../notify/types.js';
import { endJob } from './endJob.js';
import { handOverSlot } from './handOverSlot.js';
import { releaseWaiters } from './releaseWaiters.js';
import type { SlotDeps } from './types.js';

/**
 * Cancels an orphan (lib/jobs/orphanAfter.ts): a waiting or running job of this
 * run that nobody asked about for its `orphan_after`, with the error
 * `orphaned: nobody asked for it in <duration>`. One conditional write, refused
 * when someone asked meanwhile or the job moved on (`undefined`). Its waiters
 * are released and a group slot handed on; a running query is the caller's to
 * kill (the worker that holds it).
 */
export async function cancelOrphan(deps: SlotDeps & { notify?: Announcer; log?: Pick<Logger, 'warn'> }, job: JobItem, nowMs = Date.now()): Promise<JobItem | undefined> {
  await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id }); // completion event
  const after = await endJob(deps, job, orphaned(job, nowMs), { fresh: true });
  if (!after) return undefined;
  deps.log?.warn('cancelled a job nobody asked about', { job_id: job.job_id, orphan_after: job.orphan_after, status_before: job.status });
  await releaseWaiters(deps, after).catch((err: unknown) => deps.log?.warn('could not release the waiters of an orphan; the sweeper will', { job_id: job.job_id, error: (err as Error).message }));
  await handOverSlot(deps, after).catch((err: unknown) => deps.log?.warn('could not dispatch the next group member; the sweeper will', { job_id: job.job_id, error: (err as Error).message }));
  return after;
}
