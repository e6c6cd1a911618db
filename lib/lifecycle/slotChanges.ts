import { GROUP_GRACE_SECONDS, groupKey, type GroupItem } from '../groups/types.js';
import type { JobItem } from '../jobs/types.js';

/**
 * A change of a group's header counters, written in one transaction with its
 * member's transition (lib/jobs/jobStore.ts, PairedUpdate): the slot accounting
 * of lib/groups/types.ts (`free_slots`, `next_index`, `finished`) in one place.
 */
export interface SlotChange {
  Key: { pk: string };
  ConditionExpression: string;
  UpdateExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}

/**
 * A dispatch takes the slot at position `index`: the position moves on and one
 * free slot is taken, only while this run is not cancelled, the position is still
 * `index` and a slot is free (else another dispatch, a cancel, or no slot: read again).
 */
export function takeSlot(group: Pick<GroupItem, 'group_id' | 'group_run'>, index: number): SlotChange {
  return {
    Key: { pk: groupKey(group.group_id) },
    ConditionExpression: 'group_run = :grun AND next_index = :i AND free_slots > :zero AND cancelled = :f',
    UpdateExpression: 'SET next_index = :next, free_slots = free_slots - :one',
    ExpressionAttributeValues: { ':grun': group.group_run, ':i': index, ':next': index + 1, ':zero': 0, ':one': 1, ':f': false },
  };
}

/**
 * A member that ended gives its slot back to its group's run: one more free slot,
 * one more finished, and the group's expiry pushed past the member's results
 * (now + the group's longest TTL + grace), so a group outlives its last member.
 */
export function giveSlotBack(member: Pick<JobItem, 'group_id' | 'group_run' | 'group_ttl' | 'ttl'>, nowS = Math.floor(Date.now() / 1000)): SlotChange {
  return {
    Key: { pk: groupKey(member.group_id!) },
    ConditionExpression: 'group_run = :grun',
    UpdateExpression: 'SET free_slots = free_slots + :one, finished = finished + :one, expires_at = :gexp',
    ExpressionAttributeValues: { ':grun': member.group_run, ':one': 1, ':gexp': nowS + (member.group_ttl ?? member.ttl) + GROUP_GRACE_SECONDS },
  };
}
