import { isOrphan } from '../jobs/orphanAfter.js';
import { cancelOrphan } from './cancelOrphan.js';
import type { SweepDeps } from './sweepLeases.js';

/** Orphans looked at per queue shard per sweep (the longest-forgotten first); more wait for the next sweep. */
const PER_SHARD = 100;
/** Orphans cancelled at once (each is a read and one conditional write, or a transaction with what it holds). */
const AT_ONCE = 25;

/**
 * Cancels the orphans of every queue (lib/jobs/orphanAfter.ts) that no worker
 * looks at: a waiting job (in its queue, in its tenant's waiting list, or a
 * coalesced waiter parked on its leader) whose client stopped asking. A running
 * one is its worker's to cancel; should the sweeper get there first, its worker's
 * next renewal finds it cancelled and kills its query. Reads only the orphans
 * index past its time, then each candidate whole; the cancel is conditional
 * (someone who asked meanwhile wins). A cancelled waiter leaves its leader's
 * waiters (its leader and the others go on); a leader is asked about through
 * its waiters, so once they and its own client are all gone it is an orphan too.
 */
export async function sweepOrphans(deps: SweepDeps, nowMs = Date.now()): Promise<{ cancelled: number }> {
  let cancelled = 0;
  for (const queue of Object.keys(deps.config.queues)) {
    const ids = await deps.store.listOrphans(queue, nowMs, PER_SHARD);
    for (let i = 0; i < ids.length; i += AT_ONCE) {
      const done = await Promise.all(
        ids.slice(i, i + AT_ONCE).map(async (id) => {
          const job = await deps.store.get(id);
          if (!job || !isOrphan(job, nowMs)) return false;
          return (await cancelOrphan(deps, job, nowMs)) !== undefined;
        }),
      );
      cancelled += done.filter(Boolean).length;
    }
  }
  return { cancelled };
}
