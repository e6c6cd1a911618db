import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import { TaskNotFoundError } from '../errors.js';
import type { TaskRegistry } from '../tasks/types.js';
import type { JobQueue } from './jobQueue.js';
import type { JobStore } from './jobStore.js';
import { jobKey } from './jobTable.js';
import { parseJobRequest } from './parseJobRequest.js';
import { pickOne } from './pickOne.js';
import type { JobItem } from './types.js';

export interface SubmitDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  queue: JobQueue;
}

/** The answer to a job submission, in dungbeetle's shape. */
export interface SubmittedJob {
  job_id: string;
  task_name: string;
  queue: string;
  eta: string | null;
  retries: number;
}

/**
 * Validates and records a job, then enqueues it: one conditional write and one
 * message. If the message cannot be sent, the record is taken back so the ID is
 * free again.
 */
export async function submitJob(deps: SubmitDeps, taskName: string, body: unknown): Promise<SubmittedJob> {
  const task = deps.tasks.get(taskName);
  if (!task) throw new TaskNotFoundError(taskName);
  const req = parseJobRequest(body, task, deps.config);
  const jobId = req.job_id ?? randomUUID();
  const item: JobItem = {
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
    created_at: new Date().toISOString(),
    pending_queue: req.queue,
  };
  await deps.store.create(item);
  try {
    await deps.queue.send(item.queue, { job_id: jobId, run_id: item.run_id, queue: item.queue, attempt: 0 }, req.etaMs);
  } catch (err) {
    await deps.store.discard(jobId, item.run_id).catch(() => undefined);
    throw err;
  }
  return { job_id: jobId, task_name: task.name, queue: item.queue, eta: item.eta, retries: item.retries };
}
