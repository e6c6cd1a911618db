import { randomUUID } from 'node:crypto';
import { wireId } from '../identity/tenantScope.js';
import type { Task } from '../tasks/types.js';
import { jobKey, recentAt, recentShard } from './jobTable.js';
import { parseEta } from './parseEta.js';
import { shardKey } from './shardKey.js';
import type { JobRequest } from './parseJobRequest.js';
import { pickOne } from './pickOne.js';
import type { JobItem } from './types.js';

/** The record of a newly submitted job: PENDING, attempt 0, a fresh run ID. */
export function newJobItem(task: Task, req: JobRequest, jobId: string = req.job_id ?? randomUUID()): JobItem {
  const now = Date.now();
  const createdAt = new Date(now).toISOString();
  return {
    pk: jobKey(jobId),
    job_id: jobId,
    run_id: randomUUID(),
    task: task.name,
    queue: req.queue,
    db: req.db ?? pickOne(task.dbs),
    results_db: pickOne(task.results),
    args: req.args,
    status: 'PENDING',
    retries: req.retries,
    attempt: 0,
    ttl: req.ttl,
    eta: req.eta,
    created_at: createdAt,
    pending_shard: shardKey(req.queue, jobId),
    due_at: Math.max(now, req.eta ? parseEta(req.eta) : 0),
    recent_shard: recentShard(jobId),
    recent_at: recentAt(createdAt, jobId),
    ...(req.priority ? { priority: req.priority } : {}),
    // result reuse (lib/reuse): how old a reused result may be, and the db the request asked for
    ...(req.max_age !== undefined ? { max_age: req.max_age, ...(req.db !== undefined ? { reuse_db: req.db } : {}) } : {}),
    // the export (lib/export): its options now, its manifest at SUCCESS
    ...(req.export ? { export: { ...req.export } } : {}),
    ...(req.noResults ? { no_results: true } : {}),
  };
}

/**
 * The answer to a job submission: the task as SQL Jobber's `task_name` and
 * dungbeetle v2's `task`. Both generations' clients decode `eta` into a Go
 * `*time.Time`, which reads only RFC 3339, so the ETA is given as `2030-01-01T09:00:00Z`.
 */
export function submittedJob(item: JobItem) {
  const eta = item.eta === null ? null : `${item.eta.replace(' ', 'T')}Z`;
  return { job_id: wireId(item.job_id), task_name: item.task, task: item.task, queue: item.queue, eta, retries: item.retries };
}

export type SubmittedJob = ReturnType<typeof submittedJob>;
