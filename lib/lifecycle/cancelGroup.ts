import { GroupActiveError, GroupFinishedError, SqlJobberError } from '../errors.js';
import type { GroupStore } from '../groups/groupStore.js';
import { groupState, loadGroup } from '../groups/groupStatus.js';
import { ACTIVE_STATES } from '../jobs/types.js';
import { cancelJob, type CancelDeps } from './cancelJob.js';
import type { SlotDeps } from './types.js';

/**
 * DELETE /groups/{groupID}: stops dispatching, then cancels every waiting and
 * running member (running queries are killed as for DELETE /jobs/{id}).
 * Retryable: a cancel that failed half-way (an error on some member) is finished
 * by the next DELETE, which cancels what is still active. `purge` deletes a
 * finished group's record and its members' records and results.
 */
export async function cancelGroup(deps: CancelDeps & SlotDeps & { groups: GroupStore }, groupId: string, purge = false) {
  const { group, ids, members } = await loadGroup(deps, groupId);
  const active = members.filter((j) => j && ACTIVE_STATES.includes(j.status));
  if (purge) {
    if (active.length > 0 && !group.cancelled) throw new GroupActiveError(groupId, 'cancel it first (DELETE without purge)');
    for (const j of members) if (j && !ACTIVE_STATES.includes(j.status)) await cancelJob(deps, j.job_id, true).catch(ignoreGone);
    await deps.groups.delete(group);
    return { group_id: groupId, status: 'PURGED' };
  }
  if (!group.cancelled || active.length === 0) {
    const state = groupState(group, members.map((j) => j?.status ?? 'EXPIRED'));
    if (state !== 'PENDING' && state !== 'STARTED') throw new GroupFinishedError(groupId, state);
  }
  await deps.groups.markCancelled(group);
  let cancelled = 0;
  const errors: unknown[] = [];
  await Promise.all(
    active.map(async (j) => {
      try {
        if (await cancelJob(deps, j!.job_id).then(() => true, ignoreGone)) cancelled++;
      } catch (err) {
        errors.push(err);
      }
    }),
  );
  // Every member was tried; what failed is left active for a repeated DELETE.
  if (errors.length > 0) throw errors[0];
  return { group_id: groupId, status: 'CANCELLED', cancelled, total: ids.length };
}

/** A member that ended or vanished meanwhile is nothing to cancel. */
function ignoreGone(err: unknown): false {
  if (err instanceof SqlJobberError && (err.statusCode === 404 || err.statusCode === 409)) return false;
  throw err;
}
