import type { Logger } from '@aws-lambda-powertools/logger';
import type { JobQueue } from '../jobs/jobQueue.js';
import { messageOf } from '../jobs/jobMessage.js';
import type { JobStore } from '../jobs/jobStore.js';
import type { JobItem } from '../jobs/types.js';

/** The waiters index key of a leader run: what its coalesced waiters park on. */
export const leaderKey = (leader: Pick<JobItem, 'job_id' | 'run_id'>) => `${leader.job_id}#${leader.run_id}`;

/** How many waiters are released at once (each is one conditional write and one send). */
const AT_ONCE = 25;

/**
 * A leader run (a job with `max_age` others coalesced on, lib/reuse) ended: each
 * waiter parked on it becomes due now and gets its message, so it reuses the
 * result or, when the leader did not succeed, runs on its own. One write and one
 * send per waiter; a waiter released twice (two passes) gets one message, since
 * the second unpark is refused. A waiter this misses (a park the index did not
 * show yet, a send that failed) is resent by the sweeper at its backstop.
 */
export async function releaseWaiters(deps: { store: JobStore; queue: JobQueue; log?: Pick<Logger, 'warn'> }, leader: JobItem): Promise<number> {
  if (leader.max_age === undefined) return 0;
  const key = leaderKey(leader);
  const waiters = await deps.store.listWaiters(key);
  let released = 0;
  for (let i = 0; i < waiters.length; i += AT_ONCE) {
    await Promise.all(
      waiters.slice(i, i + AT_ONCE).map(async (w) => {
        const due = await deps.store.unpark(w, key);
        if (!due) return;
        try {
          await deps.queue.send(due.queue, messageOf(due), undefined, due.traceparent);
          released++;
        } catch (err) {
          deps.log?.warn('could not release a coalesced waiter; the sweeper resends it', { job_id: due.job_id, error: (err as Error).message });
        }
      }),
    );
  }
  return released;
}
