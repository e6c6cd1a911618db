import { SqlJobberError } from '../errors.js';
import { GROUP_SUBMIT_WINDOW_MS } from '../groups/types.js';
import { admissionTenant, unqueueMany } from '../jobs/admission.js';
import { messageOf } from '../jobs/jobMessage.js';
import type { JobItem } from '../jobs/types.js';
import { cancelRecord } from './cancelRecord.js';
import { fillGroup } from './fillGroup.js';
import { admitJobs, joinWaitingList, waitsToJoin } from './admitJobs.js';
import type { SweepDeps } from './sweepLeases.js';

/** What a resend, a held member's check or a group's cleanup reads of a waiting job (never its args). */
const RESEND_FIELDS = ['job_id', 'run_id', 'queue', 'attempt', 'status', 'due_at', 'max_age', 'group_id', 'group_run', 'dispatched', 'admission', 'admitted', 'adm_queued', 'created_at', 'tenant'] as const;

/** Waiting jobs looked at per queue per sweep (the oldest first). */
const MAX_PER_QUEUE = 10_000;
/** Members of a group that was never recorded removed at once. */
const REMOVE_AT_ONCE = 25;

/**
 * No job waits forever. For every waiting job of every queue whose message is
 * past due by more than `[app] resend_after` and still unclaimed (the message was
 * lost: a failed send after a RETRY write or a dispatch, a worker that died
 * between them, a purged queue), sends the message again: a conditional write
 * moves the job's due time first, so one sweeper sends it, once per `resend_after`.
 * A duplicate claims nothing, so a resend is always safe. A held group member
 * that waits that long makes its group dispatch into its free slots (a hand-over
 * lost with a worker), or, when its group was cancelled or replaced, is cancelled.
 * A member whose group has no record, older than GROUP_SUBMIT_WINDOW_MS, is of a
 * submit that died before recording its group: it is removed, never run (with its
 * tenant's waiting place, on a queue with admission); one that somehow holds a slot
 * is cancelled, which gives the slot back.
 */
export async function sweepWaiting(
  deps: SweepDeps,
  nowMs = Date.now(),
): Promise<{ resent: number; dispatched: number; cancelled: number; admitted: number; removed: number }> {
  const cutoff = nowMs - deps.config.app.resendAfterMs;
  let resent = 0;
  let dispatched = 0;
  let cancelled = 0;
  let admitted = 0;
  let removed = 0;
  const resend = async (job: JobItem) => {
    if (job.admission && !job.admitted) {
      // Admission: a job whose message to join was lost joins now; one in its waiting list waits for a slot (read whole: rare).
      const full = await deps.store.get(job.job_id);
      if (full && waitsToJoin(full)) await joinWaitingList(deps, full);
      return;
    }
    const marked = await deps.store.markResent(job, nowMs);
    if (!marked) return;
    try {
      await deps.queue.send(job.queue, messageOf(marked), undefined, marked.traceparent);
      resent++;
      deps.log.warn('sent a lost message again', { job_id: job.job_id, attempt: job.attempt, status: job.status });
    } catch (err) {
      deps.log.warn('could not send a lost message again; next sweep after resend_after', { job_id: job.job_id, error: (err as Error).message });
    }
  };
  for (const queue of Object.keys(deps.config.queues)) {
    const grouped = new Map<string, JobItem[]>();
    for (const job of await deps.store.listPending(queue, RESEND_FIELDS, MAX_PER_QUEUE, cutoff)) {
      if (job.group_id === undefined) await resend(job);
      else if (grouped.has(job.group_id)) grouped.get(job.group_id)!.push(job);
      else grouped.set(job.group_id, [job]);
    }
    for (const [groupId, members] of grouped) {
      const group = await deps.groups.get(groupId);
      if (!group) {
        // Never recorded (its submit died before the group's record), or purged: nothing will ever dispatch these.
        // Its submit may still be writing the younger ones.
        const stale = members.filter((m) => Date.parse(m.created_at) <= nowMs - GROUP_SUBMIT_WINDOW_MS);
        for (let i = 0; i < stale.length; i += REMOVE_AT_ONCE) {
          const done = await Promise.all(
            stale
              .slice(i, i + REMOVE_AT_ONCE)
              .map((m) => {
                // One that ran, or holds a slot, is cancelled, which gives back what it holds.
                if (m.status !== 'PENDING' || m.attempt !== 0 || m.admitted) return cancelMember(deps, m);
                // One counted among its tenant's waiting jobs at the submit goes with its place, in one write.
                return m.adm_queued ? deps.store.discardMany([m], [unqueueMany(m.queue, admissionTenant(m), 1)]) : deps.store.discard(m.job_id, m.run_id);
              }),
          );
          removed += done.filter(Boolean).length;
        }
        if (stale.length > 0) deps.log.warn('removed the members of a group that was never recorded', { group_id: groupId, removed: stale.length });
        continue;
      }
      const held = members.filter((m) => !m.dispatched);
      for (const m of members) if (m.dispatched) await resend(m);
      const orphans = held.filter((m) => group.cancelled || group.group_run !== m.group_run);
      // Its group will never dispatch it: a cancel that stopped half-way, or a group that was replaced.
      for (const m of orphans) if (await cancelMember(deps, m)) cancelled++;
      if (orphans.length < held.length) dispatched += await fillGroup(deps, groupId, group.group_run);
    }
    // Admission: free slots whose hand-over was lost (a worker that died after its final write) are filled.
    admitted += await admitJobs(deps, queue);
  }
  return { resent, dispatched, cancelled, admitted, removed };
}

/** Cancels a member; false when it ended or vanished meanwhile. */
function cancelMember(deps: SweepDeps, m: JobItem): Promise<boolean> {
  return cancelRecord(deps, m.job_id).then(
    () => true,
    (err: unknown) => {
      if (err instanceof SqlJobberError && err.statusCode < 500) return false;
      throw err;
    },
  );
}
