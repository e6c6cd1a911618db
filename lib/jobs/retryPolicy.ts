import { backoffMs } from './backoffMs.js';
import type { JobItem } from './types.js';

/** Why an attempt ended without a result. */
export type AttemptFailure = 'error' | 'timeout' | 'cancelled' | 'crash';

/** What comes after a failed attempt: another one, due at `dueMs`, or FAILURE. */
export type NextStep = { retry: true; dueMs: number } | { retry: false };

/**
 * The retry policy, in one place for the worker and the sweeper: a failed attempt
 * (an error, a timeout, a worker that died) is retried while the job has retries
 * left, after an exponential backoff; a cancelled one never is.
 */
export function retryPolicy(job: Pick<JobItem, 'attempt' | 'retries'>, why: AttemptFailure, nowMs = Date.now()): NextStep {
  if (why === 'cancelled' || job.attempt > job.retries) return { retry: false };
  return { retry: true, dueMs: nowMs + backoffMs(job.attempt) };
}
