import type { GroupStore } from '../groups/groupStore.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import { LEASE_INDEX, ORPHANS_INDEX, PENDING_INDEX, RECENT_INDEX, SCHEDULE_INDEX, WAITERS_INDEX } from '../jobs/jobTable.js';
import { ADMISSION_INDEX } from '../jobs/admission.js';
import type { EventSinks } from '../notify/eventSinks.js';
import type { DeliveryRecords } from '../notify/deliveryRecords.js';
import type { NotifyQueue } from '../notify/notifyQueue.js';
import type { ReusePointers } from '../reuse/reusePointers.js';
import type { ExportStore } from '../export/exportStore.js';
import type { ScheduleStore } from '../schedules/scheduleStore.js';

/*
 * What each method of each store (every adapter the functions reach AWS through)
 * needs from IAM. Each table is typed over the store's public methods, so a new
 * method does not compile until it is listed; test/deploy/functionAccess.test.ts
 * checks each entry against the method's code, and each function's list of
 * methods (lib/deploy/functionAccess.ts) against its bundle.
 */

/** A DynamoDB IAM action, on the table itself or (for a Query) on one of its indexes. */
export interface DynamoGrant {
  action: 'dynamodb:GetItem' | 'dynamodb:BatchGetItem' | 'dynamodb:PutItem' | 'dynamodb:UpdateItem' | 'dynamodb:DeleteItem' | 'dynamodb:Query';
  index?: string;
}

const on = (action: DynamoGrant['action'], index?: string): DynamoGrant[] => [index === undefined ? { action } : { action, index }];
const GET = on('dynamodb:GetItem');
const BATCH_GET = on('dynamodb:BatchGetItem');
// TransactWriteItems has no IAM action of its own: each Put/Update/Delete in it needs its own.
const PUT = on('dynamodb:PutItem');
const UPDATE = on('dynamodb:UpdateItem');
const DELETE = on('dynamodb:DeleteItem');

/** The DynamoDB actions each JobStore method needs. */
export const JOB_STORE_ACTIONS: Record<keyof JobStore, DynamoGrant[]> = {
  create: PUT,
  // with admission, its tenants' waiting counts in the same transaction (same table)
  createMany: [...PUT, ...UPDATE],
  discardMany: [...DELETE, ...UPDATE],
  // new jobs in one transaction with the schedule that makes them (same table)
  createWith: [...PUT, ...UPDATE],
  getMany: BATCH_GET,
  discard: DELETE,
  get: GET,
  traceparentOf: GET,
  listPending: on('dynamodb:Query', PENDING_INDEX),
  queuePosition: on('dynamodb:Query', PENDING_INDEX),
  claim: UPDATE,
  renewLease: UPDATE,
  retry: UPDATE,
  expireToRetry: UPDATE,
  markResent: UPDATE,
  touch: UPDATE,
  park: UPDATE,
  // with its tenant's and slot shard's counters in one transaction (same table), then the item read back
  parkAdmitted: [...UPDATE, ...GET],
  unpark: UPDATE,
  listWaiters: on('dynamodb:Query', WAITERS_INDEX),
  // a group member's end: one transaction of its own item and its group's header (same table), then the item read back
  end: [...UPDATE, ...GET],
  // a group member's dispatch: one transaction of its own item and its group's header (same table)
  dispatch: UPDATE,
  purge: UPDATE,
  extendTombstone: UPDATE,
  listExpiredLeases: on('dynamodb:Query', LEASE_INDEX),
  listOrphans: on('dynamodb:Query', ORPHANS_INDEX),
  listRecent: on('dynamodb:Query', RECENT_INDEX),
  indexShardCount: [],
  // admission (lib/jobs/admission.ts): the job and its tenant's counter in one transaction
  createQueued: [...PUT, ...UPDATE],
  joinWaitingList: UPDATE,
  admit: UPDATE,
  waitingList: on('dynamodb:Query', ADMISSION_INDEX),
  roster: on('dynamodb:Query', ADMISSION_INDEX),
  leaveRoster: UPDATE,
};

/** The DynamoDB actions each GroupStore method needs (see JOB_STORE_ACTIONS). */
export const GROUP_STORE_ACTIONS: Record<keyof GroupStore, DynamoGrant[]> = {
  create: PUT,
  get: GET,
  jobIds: BATCH_GET,
  pageAt: GET,
  skip: UPDATE,
  extendPage: UPDATE,
  markCancelled: UPDATE,
  delete: DELETE,
};

/** The DynamoDB actions each ScheduleStore method needs (its items are in the jobs table). */
export const SCHEDULE_STORE_ACTIONS: Record<keyof ScheduleStore, DynamoGrant[]> = {
  create: PUT,
  get: GET,
  list: on('dynamodb:Query', SCHEDULE_INDEX),
  listDue: on('dynamodb:Query', SCHEDULE_INDEX),
  advance: UPDATE,
  setPaused: UPDATE,
  delete: DELETE,
};

/** The DynamoDB actions each DeliveryRecords method needs (its items are in the jobs table). */
export const DELIVERY_RECORD_ACTIONS: Record<keyof DeliveryRecords, DynamoGrant[]> = {
  delivered: GET,
  record: UPDATE,
};

/** The DynamoDB actions each ReusePointers method needs (its items are in the jobs table). */
export const REUSE_POINTER_ACTIONS: Record<keyof ReusePointers, DynamoGrant[]> = {
  get: GET,
  put: PUT,
  // a conditional put: no other action
  take: PUT,
};

/**
 * The stack's resources other than the table, by their part in it. A target that
 * the config leaves out of the stack (no `[notify]`, no `sns`) grants nothing.
 */
export type GrantTarget = 'jobQueues' | 'jobDeadLetters' | 'notifyQueue' | 'notifyDeadLetter' | 'notifyTopic' | 'defaultEventBus';

/** An IAM action on the SQS queues, the SNS topic or the event bus, by target. */
export interface ResourceGrant {
  action: 'sqs:SendMessage' | 'sqs:ReceiveMessage' | 'sqs:ChangeMessageVisibility' | 'sqs:GetQueueAttributes' | 'sns:Publish' | 'events:PutEvents';
  on: GrantTarget;
}

const grant = (action: ResourceGrant['action'], ...targets: GrantTarget[]): ResourceGrant[] => targets.map((on) => ({ action, on }));

/** The actions each JobQueue method needs. */
export const JOB_QUEUE_ACTIONS: Record<keyof JobQueue, ResourceGrant[]> = {
  // Always to every queue: a submission names any queue, and a finished group member
  // hands its slot to a member that may be on another queue.
  send: grant('sqs:SendMessage', 'jobQueues'),
  peekDeadLetters: grant('sqs:ReceiveMessage', 'jobDeadLetters'),
  // ChangeMessageVisibilityBatch is authorised as ChangeMessageVisibility.
  showDeadLetters: grant('sqs:ChangeMessageVisibility', 'jobDeadLetters'),
  counts: grant('sqs:GetQueueAttributes', 'jobQueues', 'jobDeadLetters'),
};

/** The actions each NotifyQueue method needs (the completion events' queue). */
export const NOTIFY_QUEUE_ACTIONS: Record<keyof NotifyQueue, ResourceGrant[]> = {
  announce: grant('sqs:SendMessage', 'notifyQueue'),
  send: grant('sqs:SendMessage', 'notifyQueue'),
  deadLetter: grant('sqs:SendMessage', 'notifyDeadLetter'),
};

/** The actions each event sink needs. */
export const EVENT_SINK_ACTIONS: Record<keyof EventSinks, ResourceGrant[]> = {
  sns: grant('sns:Publish', 'notifyTopic'),
  eventbridge: grant('events:PutEvents', 'defaultEventBus'),
};

/** An S3 action on the export bucket: on its objects under `[export] prefix`, or (listing) on the bucket for that prefix only. */
export interface ExportGrant {
  action: 's3:PutObject' | 's3:AbortMultipartUpload' | 's3:GetObject' | 's3:ListBucket' | 's3:DeleteObject';
}

const s3 = (...actions: ExportGrant['action'][]): ExportGrant[] => actions.map((action) => ({ action }));

/** The actions each ExportStore method needs (lib/export/exportStore.ts). */
export const EXPORT_STORE_ACTIONS: Record<keyof ExportStore, ExportGrant[]> = {
  config: [],
  // A multipart upload is authorised as PutObject (create, each part, complete); stopping one needs its own action.
  upload: s3('s3:PutObject', 's3:AbortMultipartUpload'),
  put: s3('s3:PutObject'),
  // A presigned URL carries the signer's rights: the API may read the prefix and nothing else.
  presign: s3('s3:GetObject'),
  list: s3('s3:ListBucket'),
  // DeleteObjects is authorised per key as DeleteObject.
  delete: s3('s3:DeleteObject'),
};
