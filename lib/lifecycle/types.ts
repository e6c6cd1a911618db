/**
 * Glossary (lib/lifecycle: the use cases that move jobs and groups together)
 * - use case: one thing a caller asks for (run a message, cancel, sweep, submit a
 *   group), written over the stores' get/put/transition/query; the policy lives
 *   here: which write, what a refusal means, when to look again.
 * - member-end write: a job reaching a final state, and when it is a group member
 *   holding a slot, its group getting the slot back, in one transaction (endJob.ts).
 * - hand-over: after a member's end, its group dispatches the next members into the
 *   free slots (handOverSlot.ts, fillGroup.ts).
 * - dispatch: a held member takes a slot and its first message is sent.
 *
 * Imports run one way: lib/lifecycle uses lib/jobs and lib/groups, never the
 * other way round.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config/types.js';
import type { GroupStore } from '../groups/groupStore.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import type { JobItem } from '../jobs/types.js';

/** What a slot's take and hand-over need. */
export interface SlotDeps {
  /** The queues' limits, for admission (lib/lifecycle/admitJobs.ts). */
  config: Config;
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
  log?: Pick<Logger, 'warn'>;
}

/**
 * What the functions watch as jobs move (log keys, metrics): the claim, a failed
 * attempt waiting for another (RETRY), a worker's final record (SUCCESS/FAILURE),
 * and a cancel by request. Each sees the record as written; none may throw.
 */
export interface JobObserver {
  claimed?(job: JobItem): void;
  retried?(job: JobItem): void;
  finished?(job: JobItem): void;
  cancelled?(job: JobItem): void;
}
