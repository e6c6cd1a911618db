import type { Config } from '../config/types.js';
import type { JobQueue, QueueCounts } from '../jobs/jobQueue.js';

/** A queue as GET /queues lists it: its configuration and its live counts. */
export interface QueueSummary extends QueueCounts {
  name: string;
  concurrency: number;
  timeout: number;
}

/**
 * Every configured queue, in name order, with SQS's live counts of its queue and
 * dead-letter queue (fetched for all queues at once). Group members held back
 * for a free slot have no message yet, so they are not in `waiting`.
 */
export async function listQueues(deps: { config: Config; queue: JobQueue }): Promise<QueueSummary[]> {
  const queues = Object.values(deps.config.queues).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const counts = await Promise.all(queues.map((q) => deps.queue.counts(q.name)));
  return queues.map((q, i) => ({ name: q.name, concurrency: q.concurrency, timeout: q.timeout, ...counts[i]! }));
}
