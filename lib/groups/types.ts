/**
 * Glossary
 * - group: jobs scheduled together, run at most `concurrency` at a time, polled as one.
 * - slot: one of the group's `concurrency` places; a member holds one from its
 *   dispatch (message sent) until it ends (SUCCESS, FAILURE, CANCELLED). Retries
 *   keep their slot.
 * - next_index: how many members have been taken for dispatch, in submission order.
 * - finished: how many members have ended or been skipped (ended before dispatch).
 */

/** The group's header item; its members' IDs sit in page items of 100. */
export interface GroupItem {
  pk: string;
  group_id: string;
  concurrency: number;
  total: number;
  next_index: number;
  finished: number;
  cancelled: boolean;
  created_at: string;
  /** Epoch seconds (DynamoDB TTL): after every member's results could have expired. */
  expires_at: number;
}

export interface GroupPage {
  pk: string;
  group_id: string;
  job_ids: string[];
}

export const GROUP_PAGE_SIZE = 100;
export const groupKey = (groupId: string) => `group#${groupId}`;
export const groupPageKey = (groupId: string, page: number) => `group#${groupId}#page#${page}`;
