import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config/types.js';
import { leaseExpired } from '../jobs/jobEndings.js';
import { messageOf } from '../jobs/jobMessage.js';
import { retryPolicy } from '../jobs/retryPolicy.js';
import type { Announcer } from '../notify/types.js';
import { endJob } from './endJob.js';
import { handOverSlot } from './handOverSlot.js';
import { releaseWaiters } from './releaseWaiters.js';
import type { JobObserver, SlotDeps } from './types.js';

export interface SweepDeps extends SlotDeps {
  config: Config;
  log: Pick<Logger, 'warn' | 'info'>;
  /** Completion events: a final write is announced just before it is made (lib/notify/types.ts). */
  notify?: Announcer;
  /** Sees what a sweep ends (FAILURE) or sends back (RETRY): the sweeper's metrics, as a worker's. */
  observe?: Pick<JobObserver, 'retried' | 'finished'>;
}

/**
 * Takes back running attempts whose worker stopped renewing its lease (a Lambda
 * timeout or crash): each job is retried if retries remain, else it fails with
 * the reason. No job stays STARTED forever.
 */
export async function sweepLeases(deps: SweepDeps, nowMs = Date.now()): Promise<{ retried: number; failed: number }> {
  let retried = 0;
  let failed = 0;
  for (const queue of Object.keys(deps.config.queues)) {
    for (const job of await deps.store.listExpiredLeases(queue, nowMs)) {
      const reason = `the worker of attempt ${job.attempt} stopped (function timeout or crash) and lost its lease`;
      const next = retryPolicy(job, 'crash', nowMs);
      // completion event: no retries left, so this write is final
      if (!next.retry) await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt });
      const after = next.retry ? await deps.store.expireToRetry(job, nowMs, reason, next.dueMs) : await endJob(deps, job, leaseExpired(job, nowMs, reason));
      if (!after) continue;
      deps.log.warn('took back a job whose lease expired', { job_id: job.job_id, attempt: job.attempt, status: after.status });
      if (after.status === 'RETRY') {
        // A lost send is resent by the sweeper once overdue (`resend_after`).
        deps.observe?.retried?.(after);
        await deps.queue.send(job.queue, messageOf(after), after.due_at);
        retried++;
      } else {
        deps.observe?.finished?.(after);
        await releaseWaiters(deps, after);
        await handOverSlot(deps, after);
        failed++;
      }
    }
  }
  return { retried, failed };
}
