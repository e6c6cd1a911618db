import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import { SERVICE_CALLER, type Caller } from '../identity/caller.js';
import { ownedJob } from './ownedJob.js';
import { TaskNotFoundError } from '../errors.js';
import type { TaskRegistry } from '../tasks/types.js';
import { NO_TRACING, SPAN_ATTRIBUTES, inSpan, type Tracing } from '../observability/tracing.js';
import type { JobQueue } from './jobQueue.js';
import type { JobStore } from './jobStore.js';
import { newJobItem, submittedJob, type SubmittedJob } from './newJobItem.js';
import { parseJobRequest } from './parseJobRequest.js';
import { messageOf } from './jobMessage.js';
import { orphanAfterOf } from './orphanAfter.js';
import { lookup } from '../config/lookup.js';
import { admissionOn } from '../config/types.js';
import { admissionTenant, queueOne, waitListKey, waitOrder } from './admission.js';
import type { JobItem } from './types.js';

export interface SubmitDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  queue: JobQueue;
  tracing?: Tracing;
}

/**
 * Validates and records a job, then enqueues it: one conditional write and one
 * message. If the message cannot be sent, the record is taken back so the ID is
 * free again.
 *
 * Traced as `submit` (a child of the caller's `traceparent`, when it sends one);
 * the message carries that span as the parent of the worker's.
 */
export async function submitJob(
  deps: SubmitDeps,
  taskName: string,
  body: unknown,
  caller: Caller = SERVICE_CALLER,
  traceparent?: string,
): Promise<SubmittedJob> {
  return inSpan(deps.tracing ?? NO_TRACING, 'submit', {}, { parent: traceparent, kind: 'server' }, async (span) => {
    const task = deps.tasks.get(taskName);
    if (!task) throw new TaskNotFoundError(taskName);
    const req = parseJobRequest(body, task, deps.config);
    const owned = ownedJob(newJobItem(task, req, req.job_id ?? randomUUID()), task, caller, deps.config);
    // Orphan cancel: a job nobody asks about for this long is cancelled (lib/jobs/orphanAfter.ts).
    const orphanAfter = orphanAfterOf(task, owned, deps.config);
    const asked = orphanAfter === undefined ? owned : { ...owned, orphan_after: orphanAfter, asked_at: Date.now() };
    // Tracing on: the record keeps the submit's span, for the messages sent later (an admission's, a release's).
    const item = span.traceparent ? { ...asked, traceparent: span.traceparent } : asked;
    span.setAttributes({ [SPAN_ATTRIBUTES.queue]: item.queue, [SPAN_ATTRIBUTES.task]: item.task, [SPAN_ATTRIBUTES.jobId]: item.job_id });
    const queue = lookup(deps.config.queues, item.queue);
    if (queue && admissionOn(queue)) {
      // Admission (lib/jobs/admission.ts): counted among its tenant's waiting jobs (429 past the limit),
      // in its waiting list at once, or, with an ETA, when its message comes; the caller admits it.
      // (An admitted job's message is sent by the admission, under this span: the record keeps it.)
      const tag = admissionTenant(item);
      const shards = deps.store.indexShardCount();
      const queued: JobItem = { ...item, admission: true, adm_queued: true, ...(item.eta === null ? { adm_key: waitListKey(item.queue, tag), adm_order: waitOrder(item) } : {}) };
      await deps.store.createQueued(queued, queueOne(item.queue, tag, shards, queue.tenantMaxQueued), queue.tenantMaxQueued);
      if (item.eta === null) return submittedJob(queued);
      // Its message brings it into its waiting list at its ETA; should the send fail, the sweeper does once it is overdue.
      await deps.queue.send(item.queue, messageOf(item), req.etaMs, span.traceparent).catch(() => undefined);
      return submittedJob(queued);
    } else {
      await deps.store.create(item);
    }
    try {
      await deps.queue.send(item.queue, messageOf(item), req.etaMs, span.traceparent);
    } catch (err) {
      await deps.store.discard(item.job_id, item.run_id).catch(() => undefined);
      throw err;
    }
    return submittedJob(item);
  });
}
