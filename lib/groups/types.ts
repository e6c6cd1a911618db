/**
 * Glossary
 * - group: jobs scheduled together, run at most `concurrency` at a time, polled as one.
 * - group_run: identifies one submission of a group ID; members, hand-overs and
 *   dispatches of an earlier group under the same ID never touch a later one.
 * - slot: one of the group's `concurrency` places; a member holds one from its
 *   dispatch (message sent) until it ends (SUCCESS, FAILURE, CANCELLED). Retries
 *   keep their slot.
 * - next_index: how many members have been taken for dispatch (or skipped), in submission order.
 * - free_slots: slots not held by any member; a dispatch takes one, a member's end gives it back.
 * - finished: how many members have ended after their dispatch, or been skipped (ended before it).
 */

/** The group's header item; its members' IDs sit in page items of 100. */
export interface GroupItem {
  pk: string;
  group_id: string;
  group_run: string;
  concurrency: number;
  total: number;
  next_index: number;
  free_slots: number;
  finished: number;
  cancelled: boolean;
  created_at: string;
  /** The longest TTL of its members (seconds). */
  group_ttl: number;
  /**
   * Epoch seconds (DynamoDB TTL): pushed to now + group_ttl + grace by every member
   * that ends, so a group outlives its last member's results however long it ran.
   */
  expires_at: number;
  /** The tenant of a group that is not the default tenant's (lib/identity); its `group_id` is scoped (`<tag>~<id>`). */
  tenant?: string;
}

export interface GroupPage {
  pk: string;
  group_id: string;
  group_run?: string;
  job_ids: string[];
  /** Epoch seconds (DynamoDB TTL); pushed along while the group dispatches, and to the header's at its end. */
  expires_at?: number;
}

export const GROUP_PAGE_SIZE = 100;
/**
 * A group's members are written before its record (lib/lifecycle/submitGroup.ts).
 * Waiting members this old whose group has no record belong to a submit that died
 * before recording it: the sweeper removes them. Far past the API function's
 * timeout (29 s, lib/deploy/serviceDefinition.ts), so no live submit loses them.
 */
export const GROUP_SUBMIT_WINDOW_MS = 5 * 60_000;
/** How long a group's record outlives the longest TTL of its jobs, counted from its last activity. */
export const GROUP_GRACE_SECONDS = 7 * 24 * 3600;
export const groupKey = (groupId: string) => `group#${groupId}`;
export const groupPageKey = (groupId: string, page: number) => `group#${groupId}#page#${page}`;
