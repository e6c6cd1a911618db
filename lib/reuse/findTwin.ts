import type { ReusePointers } from './reusePointers.js';
import type { JobStore } from '../jobs/jobStore.js';
import { ACTIVE_STATES, type JobItem, type JobMessage } from '../jobs/types.js';
import { jobReuseKey } from './jobReuseKey.js';

export interface ReuseDeps {
  store: JobStore;
  reuse: ReusePointers;
}

/** What a job with `max_age` does before it is claimed. */
export type ReuseDecision =
  /** Run the query (no usable twin; this job now holds the pointer). */
  | { kind: 'run' }
  /** A twin is waiting or running: wait for its end (the leader run releases its waiters). */
  | { kind: 'wait'; twin: JobItem }
  /** A twin succeeded recently: copy its results table. */
  | { kind: 'reuse'; twin: JobItem };

/** Whether `twin` ran what `job` asks for, into the same results database (a copy stays inside one database). */
function fits(job: JobItem, twin: JobItem): boolean {
  return twin.job_id !== job.job_id && (job.reuse_db === undefined || twin.db === job.reuse_db) && twin.results_db === job.results_db;
}

/**
 * Looks for the twin of a waiting job that has `max_age` (see lib/reuse/types.ts):
 * a recent success to copy, one in flight to wait for, or none, in which case
 * this job takes the pointer (a conditional write: of identical jobs starting at
 * once, one runs and the others wait for it). Undefined when the message no
 * longer starts this job (the claim refuses it as usual).
 */
export async function findTwin(deps: ReuseDeps, message: JobMessage, nowMs = Date.now()): Promise<{ job: JobItem; decision: ReuseDecision } | undefined> {
  const job = await deps.store.get(message.job_id);
  if (!job || job.run_id !== message.run_id || job.attempt !== message.attempt || !['PENDING', 'RETRY'].includes(job.status) || job.max_age === undefined) {
    return undefined;
  }
  const key = jobReuseKey(job);
  const mine = { pk: key, job_id: job.job_id, run_id: job.run_id };
  for (let round = 0; round < 3; round++) {
    const pointer = await deps.reuse.get(key);
    if (pointer?.job_id === job.job_id && pointer.run_id === job.run_id) return { job, decision: { kind: 'run' } };
    if (pointer) {
      const twin = await deps.store.get(pointer.job_id);
      if (twin && twin.run_id === pointer.run_id && fits(job, twin)) {
        const fresh = twin.finished_at !== undefined && nowMs - Date.parse(twin.finished_at) <= job.max_age * 1000;
        if (twin.status === 'SUCCESS' && fresh && twin.results_table) return { job, decision: { kind: 'reuse', twin } };
        if (ACTIVE_STATES.includes(twin.status)) return { job, decision: { kind: 'wait', twin } };
      }
      // The twin failed, was cancelled, is gone, too old, or ran elsewhere: this job runs, and takes the pointer.
    }
    if (await deps.reuse.take(mine, pointer)) return { job, decision: { kind: 'run' } };
    // Another job took it meanwhile: look at that one.
  }
  return { job, decision: { kind: 'run' } };
}
