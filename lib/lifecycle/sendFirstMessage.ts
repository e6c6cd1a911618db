import type { Logger } from '@aws-lambda-powertools/logger';
import type { JobQueue } from '../jobs/jobQueue.js';
import { messageOf } from '../jobs/jobMessage.js';
import { parseEta } from '../jobs/parseEta.js';
import type { JobItem } from '../jobs/types.js';

/**
 * Sends the message of a member that was just dispatched (or of a new job). A send
 * that fails is logged, not thrown: the record says the message is due, and the
 * sweeper sends it again once it is overdue by `resend_after`.
 */
export async function sendFirstMessage(deps: { queue: JobQueue; log?: Pick<Logger, 'warn'> }, job: JobItem): Promise<void> {
  try {
    await deps.queue.send(job.queue, messageOf({ ...job, attempt: 0 }), job.eta ? parseEta(job.eta) : undefined);
  } catch (err) {
    deps.log?.warn('could not send a dispatched member\'s message; the sweeper will send it again', { job_id: job.job_id, error: (err as Error).message });
  }
}
