import { SqlJobberError } from '../errors.js';
import { fillGroup } from '../groups/groupSlots.js';
import type { SweepDeps } from './sweepLeases.js';
import type { JobItem } from './types.js';

/** Waiting jobs looked at per queue per sweep (the oldest first). */
const MAX_PER_QUEUE = 10_000;

/**
 * No job waits forever. For every waiting job of every queue whose message is
 * past due by more than `[app] resend_after` and still unclaimed (the message was
 * lost: a failed send after a RETRY write or a dispatch, a worker that died
 * between them, a purged queue), sends the message again: a conditional write
 * moves the job's due time first, so one sweeper sends it, once per `resend_after`.
 * A duplicate claims nothing, so a resend is always safe. A held group member
 * that waits that long makes its group dispatch into its free slots (a hand-over
 * lost with a worker), or, when its group was cancelled or replaced, is cancelled.
 */
export async function sweepWaiting(deps: SweepDeps, nowMs = Date.now()): Promise<{ resent: number; dispatched: number; cancelled: number }> {
  const cutoff = nowMs - deps.config.app.resendAfterMs;
  let resent = 0;
  let dispatched = 0;
  let cancelled = 0;
  for (const queue of Object.keys(deps.config.queues)) {
    const held = new Map<string, JobItem[]>();
    for (const job of await deps.store.listPending(queue, MAX_PER_QUEUE, cutoff)) {
      if (job.group_id !== undefined && !job.dispatched) {
        held.set(job.group_id, [...(held.get(job.group_id) ?? []), job]);
        continue;
      }
      const marked = await deps.store.markResent(job, nowMs);
      if (!marked) continue;
      try {
        await deps.queue.send(job.queue, { job_id: job.job_id, run_id: job.run_id, queue: job.queue, attempt: job.attempt });
        resent++;
        deps.log.warn('sent a lost message again', { job_id: job.job_id, attempt: job.attempt, status: job.status });
      } catch (err) {
        deps.log.warn('could not send a lost message again; next sweep after resend_after', { job_id: job.job_id, error: (err as Error).message });
      }
    }
    for (const [groupId, members] of held) {
      const group = await deps.groups.get(groupId);
      const orphans = members.filter((m) => !group || group.cancelled || group.group_run !== m.group_run);
      for (const m of orphans) {
        // Its group will never dispatch it: a cancel that stopped half-way, or a group that is gone.
        const done = await deps.store.cancel(m.job_id).then(
          () => true,
          (err: unknown) => {
            if (err instanceof SqlJobberError && err.statusCode < 500) return false;
            throw err;
          },
        );
        if (done) cancelled++;
      }
      if (orphans.length < members.length) dispatched += await fillGroup(deps, groupId, group!.group_run);
    }
  }
  return { resent, dispatched, cancelled };
}
