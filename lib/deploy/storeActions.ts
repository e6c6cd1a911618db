import type { GroupStore } from '../groups/groupStore.js';
import type { JobStore } from '../jobs/jobStore.js';
import { LEASE_INDEX, PENDING_INDEX, RECENT_INDEX } from '../jobs/jobTable.js';

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

/**
 * The DynamoDB actions each JobStore method needs. Typed over every public method,
 * so a new method does not compile until it is listed here (and
 * test/deploy/functionAccess.test.ts checks each entry against the method's code).
 */
export const JOB_STORE_ACTIONS: Record<keyof JobStore, DynamoGrant[]> = {
  create: PUT,
  createMany: PUT,
  getMany: BATCH_GET,
  discard: DELETE,
  get: GET,
  listPending: on('dynamodb:Query', PENDING_INDEX),
  claim: UPDATE,
  renewLease: UPDATE,
  retry: UPDATE,
  // a group member's end: one transaction of its own item and its group's header (same table)
  succeed: [...UPDATE, ...GET],
  fail: [...UPDATE, ...GET],
  cancel: [...UPDATE, ...GET],
  purge: UPDATE,
  failDeadLettered: [...UPDATE, ...GET],
  markResent: UPDATE,
  listExpiredLeases: on('dynamodb:Query', LEASE_INDEX),
  expireLease: [...UPDATE, ...GET],
  listRecent: on('dynamodb:Query', RECENT_INDEX),
};

/** The DynamoDB actions each GroupStore method needs (see JOB_STORE_ACTIONS). */
export const GROUP_STORE_ACTIONS: Record<keyof GroupStore, DynamoGrant[]> = {
  create: PUT,
  get: GET,
  jobIds: BATCH_GET,
  pageAt: GET,
  // one transaction: the header's counters and the member's item
  take: UPDATE,
  skip: UPDATE,
  extendPage: UPDATE,
  markCancelled: UPDATE,
  delete: DELETE,
};
