import type { GroupStore } from '../groups/groupStore.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import type { EventSinks } from '../notify/eventSinks.js';
import type { DeliveryRecords } from '../notify/deliveryRecords.js';
import type { NotifyQueue } from '../notify/notifyQueue.js';
import type { ReusePointers } from '../reuse/reusePointers.js';
import type { ExportStore } from '../export/exportStore.js';
import type { ScheduleStore } from '../schedules/scheduleStore.js';

/**
 * What one function's code uses, from which its IAM role is generated
 * (lib/deploy/functionRole.ts): the methods it calls on each store, whose actions
 * lib/deploy/storeActions.ts lists. Read from the code: test/deploy/functionAccess.test.ts
 * finds the calls each handler's bundle makes and fails when this table grants
 * more or less than that.
 */
export interface FunctionAccess {
  /** JobStore methods it calls (lib/jobs/jobStore.ts). */
  jobs?: (keyof JobStore)[];
  /** GroupStore methods it calls (lib/groups/groupStore.ts). */
  groups?: (keyof GroupStore)[];
  /** JobQueue methods it calls (lib/jobs/jobQueue.ts): job messages, dead letters, counts. */
  queue?: (keyof JobQueue)[];
  /** ScheduleStore methods it calls (lib/schedules/scheduleStore.ts). */
  schedules?: (keyof ScheduleStore)[];
  /** ReusePointers methods it calls (lib/reuse/reusePointers.ts). */
  reuse?: (keyof ReusePointers)[];
  /** NotifyQueue methods it calls (lib/notify/notifyQueue.ts): announcements of final writes, webhook retries. */
  notify?: (keyof NotifyQueue)[];
  /** ExportStore methods it calls (lib/export/exportStore.ts): S3 actions under `[export] prefix`. */
  exports?: (keyof ExportStore)[];
  /** DeliveryRecords methods it calls (lib/notify/deliveryRecords.ts): which sinks took which event. */
  deliveries?: (keyof DeliveryRecords)[];
  /** Event sinks it publishes to (lib/notify/eventSinks.ts). */
  sinks?: (keyof EventSinks)[];
  /**
   * Uses the source/results databases: it runs in the VPC when one is configured
   * and reads the dsns' secrets at cold start.
   */
  databases?: boolean;
  /** Reads the webhook HMAC key's secret (lib/notify/webhookSecret.ts). */
  webhookSecret?: boolean;
}

/** Admission of waiting jobs into a queue's free slots (lib/lifecycle/admitJobs.ts). */
const ADMIT: (keyof JobStore)[] = ['indexShardCount', 'roster', 'leaveRoster', 'waitingList', 'admit', 'traceparentOf'];

/** Slot hand-over of a group member, or of a job of a queue with admission, that ended (lib/lifecycle/handOverSlot.ts, fillGroup.ts, admitJobs.ts). */
const RELEASE_SLOT = {
  jobs: ['get', 'dispatch', ...ADMIT],
  groups: ['get', 'pageAt', 'skip', 'extendPage'],
  queue: ['send'],
} satisfies FunctionAccess;

/** A coalesced leader's end releases its parked waiters (lib/lifecycle/releaseWaiters.ts). */
const RELEASE_WAITERS = { jobs: ['listWaiters', 'unpark'], queue: ['send'] } satisfies FunctionAccess;

/** Every function of `functions()` (lib/deploy/serviceDefinition.ts) but the workers, by key. */
export const FUNCTION_ACCESS: Record<string, FunctionAccess> = {
  getTasks: {},
  submitJob: { jobs: ['create', 'discard', 'createQueued', ...ADMIT], queue: ['send'] },
  // Describes and plans on the source (never runs, never touches the results database); no store, no queue.
  dryRun: { databases: true },
  getJob: { jobs: ['get', 'queuePosition', 'touch'] },
  // presign: a job event carries a presigned URL of its export's manifest.
  notify: { jobs: ['get', 'getMany'], groups: ['get', 'jobIds'], notify: ['send', 'deadLetter'], sinks: ['sns', 'eventbridge'], deliveries: ['delivered', 'record'], webhookSecret: true, exports: ['presign'] },
  getQueueJobs: { jobs: ['listPending'] },
  getQueues: { queue: ['counts'] },
  getQueueStats: { jobs: ['listRecent'] },
  listJobs: { jobs: ['listRecent', 'getMany'] }, // getMany: the tenant of each job an operator lists
  getOpenApi: {},
  routeNotFound: {},
  console: {},
  // exports delete: a purge deletes the job's export (its keys follow from the record: no listing).
  cancelJob: { jobs: ['get', 'end', 'purge', 'extendTombstone', ...RELEASE_SLOT.jobs, ...RELEASE_WAITERS.jobs], groups: RELEASE_SLOT.groups, queue: ['send'], databases: true, notify: ['announce'], exports: ['delete'] },
  getResults: { jobs: ['get', 'touch'], databases: true },
  getExport: { jobs: ['get'], exports: ['presign'] },
  // Sends its first members' messages; it dispatches no held member (lib/lifecycle/sendFirstMessage.ts).
  submitGroup: { jobs: ['createMany', 'discard', 'discardMany'], groups: ['create'], queue: ['send'] },
  getGroup: { jobs: ['getMany'], groups: ['get', 'jobIds'] },
  cancelGroup: {
    jobs: ['get', 'getMany', 'end', 'purge', 'extendTombstone', ...RELEASE_SLOT.jobs, ...RELEASE_WAITERS.jobs],
    groups: ['get', 'jobIds', 'markCancelled', 'delete', ...RELEASE_SLOT.groups],
    queue: ['send'],
    databases: true,
    notify: ['announce'],
    exports: ['delete'],
  },
  submitSchedule: { schedules: ['create'] },
  listSchedules: { schedules: ['list'] },
  getSchedule: { schedules: ['get'] },
  deleteSchedule: { schedules: ['delete'] },
  pauseSchedule: { schedules: ['get', 'setPaused'] },
  resumeSchedule: { schedules: ['get', 'setPaused'] },
  // Creates each tick's jobs with the schedule's move (one transaction), then sends their first messages.
  scheduler: { jobs: ['createWith'], schedules: ['listDue', 'advance'], queue: ['send'] },
  sweeper: {
    jobs: ['get', 'listExpiredLeases', 'listOrphans', 'expireToRetry', 'end', 'listPending', 'markResent', 'joinWaitingList', 'discard', 'discardMany', ...RELEASE_SLOT.jobs, ...RELEASE_WAITERS.jobs],
    groups: RELEASE_SLOT.groups,
    queue: ['send', 'peekDeadLetters', 'showDeadLetters'],
    databases: true,
    notify: ['announce'],
    exports: ['list', 'delete'],
  },
};

/** Every worker (`worker-<queue>`); it also receives and deletes the messages of its own queue. */
export const WORKER_ACCESS: FunctionAccess = {
  jobs: ['get', 'claim', 'renewLease', 'end', 'retry', 'park', 'parkAdmitted', 'joinWaitingList', ...RELEASE_SLOT.jobs, ...RELEASE_WAITERS.jobs],
  groups: RELEASE_SLOT.groups,
  queue: ['send'],
  databases: true,
  notify: ['announce'],
  reuse: ['get', 'take', 'put'],
  exports: ['upload', 'put', 'list', 'delete'],
};
