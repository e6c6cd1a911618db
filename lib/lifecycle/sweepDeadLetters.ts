import { deadLettered } from '../jobs/jobEndings.js';
import type { JobStore } from '../jobs/jobStore.js';
import { parseJobMessage } from '../jobs/parseJobMessage.js';
import type { JobItem, JobMessage } from '../jobs/types.js';
import { endJob } from './endJob.js';
import { handOverSlot } from './handOverSlot.js';
import { releaseWaiters } from './releaseWaiters.js';
import type { SweepDeps } from './sweepLeases.js';

/** How often a dead letter's job is read again when it changed under the write. */
const TRIES = 10;

/** How long one sweep may read a dead-letter queue; the sweeper runs every minute. */
const BUDGET_MS = 20_000;

/**
 * Marks FAILURE, with the reason, every waiting job whose message SQS moved to
 * its queue's dead-letter queue (the worker failed on it every time). The
 * messages stay in the dead-letter queue; unparseable ones and those of unknown
 * or finished jobs are left alone.
 *
 * Each read hides what it returns for a while (`DEAD_LETTER_HIDE_SECONDS`), so
 * the next read returns other messages: one sweep walks the whole queue (within
 * its time budget) instead of seeing the same few messages again and again. At
 * the end of the sweep they are made visible again, for people and the alarm.
 */
export async function sweepDeadLetters(deps: SweepDeps, budgetMs = BUDGET_MS): Promise<{ failed: number; read: number }> {
  let failed = 0;
  let read = 0;
  const deadline = Date.now() + budgetMs;
  for (const queue of Object.keys(deps.config.queues)) {
    const receipts: string[] = [];
    while (Date.now() < deadline) {
      const letters = await deps.queue.peekDeadLetters(queue);
      if (letters.length === 0) break;
      read += letters.length;
      receipts.push(...letters.map((l) => l.receipt));
      const outcomes = await Promise.all(
        letters.map(async (letter) => {
          let message;
          try {
            message = parseJobMessage(letter.body);
          } catch {
            return false;
          }
          // completion event: announced only while the job still waits for this message (the letter stays, and is read every sweep)
          if (deps.notify) {
            const current = await deps.store.get(message.job_id);
            if (current?.run_id !== message.run_id || current.attempt !== message.attempt || !['PENDING', 'RETRY'].includes(current.status)) return false;
            await deps.notify.announce({ job_id: message.job_id, run_id: message.run_id, attempt: message.attempt });
          }
          const reason = `its message was moved to the dead-letter queue after ${letter.receives} failed deliveries; see the worker's logs`;
          const after = await failDeadLettered(deps, message, reason);
          if (!after) return false;
          deps.log.warn('failed a job whose message is in the dead-letter queue', { job_id: after.job_id, queue });
          deps.observe?.finished?.(after);
          await releaseWaiters(deps, after);
          await handOverSlot(deps, after);
          return true;
        }),
      );
      failed += outcomes.filter(Boolean).length;
    }
    // Should this fail, they show again by themselves after DEAD_LETTER_HIDE_SECONDS.
    await deps.queue.showDeadLetters(queue, receipts).catch((err: unknown) => deps.log.warn('could not show dead letters again', { queue, error: (err as Error).message }));
  }
  return { failed, read };
}

/**
 * A waiting job whose message ended in the dead-letter queue → FAILURE with the
 * reason (the member-end write), only for the attempt that message could start
 * (so a stale copy does nothing).
 */
async function failDeadLettered(deps: { store: JobStore }, message: JobMessage, reason: string): Promise<JobItem | undefined> {
  // A refusal can be a race (the item changed since it was read): read it again, a few times.
  for (let tries = 0; tries < TRIES; tries++) {
    const current = await deps.store.get(message.job_id);
    if (!current || current.run_id !== message.run_id || current.attempt !== message.attempt) return undefined;
    if (current.status !== 'PENDING' && current.status !== 'RETRY') return undefined;
    const after = await endJob(deps, current, deadLettered(message, reason), { fresh: true });
    if (after) return after;
  }
  throw new Error(`dead letter of job "${message.job_id}": it kept changing; the next sweep tries again`);
}
