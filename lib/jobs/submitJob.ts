import type { Config } from '../config/types.js';
import { TaskNotFoundError } from '../errors.js';
import type { TaskRegistry } from '../tasks/types.js';
import type { JobQueue } from './jobQueue.js';
import type { JobStore } from './jobStore.js';
import { newJobItem, submittedJob, type SubmittedJob } from './newJobItem.js';
import { parseJobRequest } from './parseJobRequest.js';

export interface SubmitDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  queue: JobQueue;
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
  const item = newJobItem(task, req);
  await deps.store.create(item);
  try {
    const reuse = item.max_age === undefined ? {} : { max_age: item.max_age }; // result reuse (lib/reuse)
    await deps.queue.send(item.queue, { job_id: item.job_id, run_id: item.run_id, queue: item.queue, attempt: 0, ...reuse }, req.etaMs);
  } catch (err) {
    await deps.store.discard(item.job_id, item.run_id).catch(() => undefined);
    throw err;
  }
  return submittedJob(item);
}
