import { jobProgress } from './jobProgress.js';
import { DEFAULT_TENANT } from '../identity/caller.js';
import { tagOf, wireId } from '../identity/tenantScope.js';
import { FINAL_STATES, type JobItem } from './types.js';
import { exportStatus } from '../export/exportOptions.js';

/**
 * A job's public status in both generations' names: SQL Jobber's `{job_id, status,
 * results, error}`, dungbeetle v2's `{job_id, state, count, error}`, plus what this
 * product adds (task, queue, attempt, times, results table, warnings, progress: lib/jobs/jobProgress.ts).
 * `queuePosition`: a waiting job's place in line (JobStore.queuePosition), when asked for.
 */
export function jobStatus(job: JobItem, queuePosition?: number) {
  return {
    job_id: wireId(job.job_id),
    /** This submission of the job ID: GET /jobs/{jobID}/results?run= reads only its rows. */
    run_id: job.run_id,
    tenant: job.tenant ?? DEFAULT_TENANT,
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
    /** 0..9, higher first within its tenant on a queue with admission. */
    priority: job.priority ?? 0,
    group_id: job.group_id === undefined ? null : wireId(job.group_id),
    schedule_id: job.schedule_id === undefined ? null : wireId(job.schedule_id),
    scheduled_for: job.scheduled_for ?? null,
    created_at: job.created_at,
    started_at: job.started_at ?? null,
    finished_at: job.finished_at ?? null,
    expires_at: job.expires_at === undefined ? null : new Date(job.expires_at * 1000).toISOString(),
    reused_from: reusedFrom(job),
    /** The export to S3 (lib/export), when the job asked for one: its state, parts and manifest key; GET /jobs/{jobID}/export gives URLs. */
    export: exportStatus(job.export, FINAL_STATES.includes(job.status)),
    warnings: job.warnings ?? [],
    truncated: job.truncated === true,
    ...jobProgress(job),
    queue_position: queuePosition ?? null,
  };
}

/** A waiting job as listed by GET /jobs/queue/{queue} (`task`/`task_name`, `state`/`status`: both generations). */
/** What a pending listing shows of a job: all it reads of the index (never the args). */
export const PENDING_FIELDS = ['job_id', 'tenant', 'task', 'queue', 'status', 'eta', 'retries', 'attempt', 'created_at'] as const;

/**
 * The job whose result this one copied, by the ID its tenant knows it by; a
 * `reuse_across_tenants` task's copy of another tenant's job names no ID of theirs.
 */
function reusedFrom(job: JobItem): string | null {
  if (job.reused_from === undefined) return null;
  return tagOf(job.reused_from) === tagOf(job.job_id) ? wireId(job.reused_from) : ANOTHER_TENANTS_JOB;
}

/** `reused_from` of a copy of another tenant's result. */
export const ANOTHER_TENANTS_JOB = '(another tenant)';

/** A waiting job as GET /jobs/queue/{queue} lists it. */
export function pendingJob(job: Pick<JobItem, (typeof PENDING_FIELDS)[number]>) {
  return {
    job_id: wireId(job.job_id),
    tenant: job.tenant ?? DEFAULT_TENANT,
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
