import type { JobItem } from './types.js';

/**
 * A job's public status in both generations' names: SQL Jobber's `{job_id, status,
 * results, error}`, dungbeetle v2's `{job_id, state, count, error}`, plus what this
 * product adds (task, queue, attempt, times, results table, warnings).
 */
export function jobStatus(job: JobItem) {
  return {
    job_id: job.job_id,
    status: job.status,
    state: job.status,
    results: job.count === undefined ? [] : [{ Type: 'int64', Value: job.count }],
    error: job.error ?? '',
    count: job.count ?? null,
    task: job.task,
    queue: job.queue,
    db: job.db,
    results_db: job.results_db,
    results_table: job.results_table ?? null,
    attempt: job.attempt,
    retries: job.retries,
    ttl: job.ttl,
    eta: job.eta,
    group_id: job.group_id ?? null,
    created_at: job.created_at,
    started_at: job.started_at ?? null,
    finished_at: job.finished_at ?? null,
    expires_at: job.expires_at === undefined ? null : new Date(job.expires_at * 1000).toISOString(),
    reused_from: job.reused_from ?? null,
    warnings: job.warnings ?? [],
  };
}

/** A waiting job as listed by GET /jobs/queue/{queue} (`task`/`task_name`, `state`/`status`: both generations). */
export function pendingJob(job: JobItem) {
  return {
    job_id: job.job_id,
    task_name: job.task,
    task: job.task,
    queue: job.queue,
    status: job.status,
    state: job.status,
    eta: job.eta,
    retries: job.retries,
    attempt: job.attempt,
    created_at: job.created_at,
  };
}
