import type { GroupStore } from '../groups/groupStore.js';
import type { JobStore } from '../jobs/jobStore.js';

/**
 * What one function's code uses, from which its IAM role is generated
 * (lib/deploy/functionRole.ts). Read from the code: test/deploy/functionAccess.test.ts
 * finds the calls each handler's bundle makes and fails when this table grants
 * more or less than that.
 */
export interface FunctionAccess {
  /** JobStore methods it calls (lib/jobs/jobStore.ts). */
  jobs?: (keyof JobStore)[];
  /** GroupStore methods it calls (lib/groups/groupStore.ts). */
  groups?: (keyof GroupStore)[];
  /**
   * Sends job messages (JobQueue.send). Always to every queue: a submission names
   * any queue, and a finished group member hands its slot to a member that may be
   * on another queue.
   */
  sends?: boolean;
  /**
   * Uses the source/results databases: it runs in the VPC when one is configured
   * and reads the dsns' secrets at cold start.
   */
  databases?: boolean;
  /** Reads (without deleting) the dead-letter queues (lib/jobs/sweepDeadLetters.ts). */
  readsDeadLetters?: boolean;
  /** Reads the message counts of every queue and dead-letter queue (JobQueue.counts). */
  readsQueueCounts?: boolean;
  /** Announces final writes to the completion events' queue (`notify.announce`, lib/notify). */
  announces?: boolean;
  /** The completion events' delivery function (lib/notify/handleNotifyMessage.ts). */
  delivers?: boolean;
  /** Reads and writes result reuse pointers (`reuse.get`/`take`/`put`, lib/aws/reusePointers.ts): GetItem, PutItem. */
  reuses?: boolean;
}

/** Slot hand-over of a group member that ended (lib/groups/groupSlots.ts). */
const RELEASE_SLOT = {
  jobs: ['get'],
  groups: ['get', 'pageAt', 'take', 'skip', 'extendPage'],
  sends: true,
} satisfies FunctionAccess;

/** Every function of `functions()` (lib/deploy/serviceDefinition.ts) but the workers, by key. */
export const FUNCTION_ACCESS: Record<string, FunctionAccess> = {
  getTasks: {},
  submitJob: { jobs: ['create', 'discard'], sends: true },
  getJob: { jobs: ['get'] },
  notify: { jobs: ['get', 'getMany'], groups: ['get', 'jobIds'], delivers: true },
  getQueueJobs: { jobs: ['listPending'] },
  getQueues: { readsQueueCounts: true },
  listJobs: { jobs: ['listRecent'] },
  getOpenApi: {},
  console: {},
  cancelJob: { jobs: ['get', 'cancel', 'purge', ...RELEASE_SLOT.jobs], groups: RELEASE_SLOT.groups, sends: true, databases: true, announces: true },
  getResults: { jobs: ['get'], databases: true },
  submitGroup: {
    jobs: ['getMany', 'createMany', 'discard', ...RELEASE_SLOT.jobs],
    groups: ['create', 'delete', ...RELEASE_SLOT.groups],
    sends: true,
  },
  getGroup: { jobs: ['getMany'], groups: ['get', 'jobIds'] },
  cancelGroup: {
    jobs: ['get', 'getMany', 'cancel', 'purge', ...RELEASE_SLOT.jobs],
    groups: ['get', 'jobIds', 'markCancelled', 'delete', ...RELEASE_SLOT.groups],
    sends: true,
    databases: true,
    announces: true,
  },
  sweeper: {
    jobs: ['get', 'listExpiredLeases', 'expireLease', 'failDeadLettered', 'listPending', 'markResent', 'cancel', ...RELEASE_SLOT.jobs],
    groups: RELEASE_SLOT.groups,
    sends: true,
    readsDeadLetters: true,
    databases: true,
    announces: true,
  },
};

/** Every worker (`worker-<queue>`); it also receives and deletes the messages of its own queue. */
export const WORKER_ACCESS: FunctionAccess = {
  jobs: ['get', 'claim', 'renewLease', 'succeed', 'fail', 'retry', ...RELEASE_SLOT.jobs],
  groups: RELEASE_SLOT.groups,
  sends: true,
  databases: true,
  announces: true,
  reuses: true,
};
