import type { JobItem, JobMessage } from './types.js';

/**
 * The message that may start a waiting job's next attempt, from its record: every
 * send (the first, a retry, a lost message's resend, a lease takeover, a waiter's
 * release) builds it here, so what the worker must know before it claims (the
 * job's `max_age`, lib/reuse) survives every path.
 */
export function messageOf(job: Pick<JobItem, 'job_id' | 'run_id' | 'queue' | 'attempt' | 'max_age'>): JobMessage {
  return {
    job_id: job.job_id,
    run_id: job.run_id,
    queue: job.queue,
    attempt: job.attempt,
    ...(job.max_age === undefined ? {} : { max_age: job.max_age }),
  };
}
