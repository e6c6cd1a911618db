import { releaseSlot } from '../groups/groupSlots.js';
import { parseJobMessage } from './parseJobMessage.js';
import type { SweepDeps } from './sweepLeases.js';

/** Reads of each dead-letter queue per sweep (10 messages each, SQS picks which). */
const READS_PER_QUEUE = 5;

/**
 * Marks FAILURE, with the reason, every waiting job whose message SQS moved to
 * its queue's dead-letter queue (the worker failed on it every time). The
 * messages stay in the dead-letter queue; unparseable ones and those of unknown
 * or finished jobs are left alone.
 */
export async function sweepDeadLetters(deps: SweepDeps): Promise<{ failed: number }> {
  let failed = 0;
  for (const queue of Object.keys(deps.config.queues)) {
    for (let read = 0; read < READS_PER_QUEUE; read++) {
      const letters = await deps.queue.peekDeadLetters(queue);
      if (letters.length === 0) break;
      for (const letter of letters) {
        let message;
        try {
          message = parseJobMessage(letter.body);
        } catch {
          continue;
        }
        const reason = `its message was moved to the dead-letter queue after ${letter.receives} failed deliveries; see the worker's logs`;
        // completion event: announced only while the job still waits for this message (the letter stays, and is read every sweep)
        if (deps.notify) {
          const current = await deps.store.get(message.job_id);
          if (current?.run_id !== message.run_id || current.attempt !== message.attempt || !['PENDING', 'RETRY'].includes(current.status)) continue;
          await deps.notify.announce({ job_id: message.job_id, run_id: message.run_id, attempt: message.attempt });
        }
        const after = await deps.store.failDeadLettered(message, reason);
        if (!after) continue;
        deps.log.warn('failed a job whose message is in the dead-letter queue', { job_id: after.job_id, queue });
        await releaseSlot(deps, after);
        failed++;
      }
    }
  }
  return { failed };
}
