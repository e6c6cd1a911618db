import { afterMemberEnded } from '../groups/groupSlots.js';
import { parseJobMessage } from './parseJobMessage.js';
import type { SweepDeps } from './sweepLeases.js';

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
          const after = await deps.store.failDeadLettered(message, reason);
          if (!after) return false;
          deps.log.warn('failed a job whose message is in the dead-letter queue', { job_id: after.job_id, queue });
          await afterMemberEnded(deps, after);
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
