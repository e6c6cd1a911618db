import { ConflictError, SqlJobberError } from '../errors.js';
import { cancelJob, type CancelDeps } from '../jobs/cancelJob.js';
import { ACTIVE_STATES } from '../jobs/types.js';
import type { GroupStore } from './groupStore.js';
import { groupState, loadGroup } from './groupStatus.js';
import type { SlotDeps } from './groupSlots.js';

/**
 * DELETE /groups/{groupID}: stops dispatching, then cancels every waiting and
 * running member (running queries are killed as for DELETE /jobs/{id}).
 * `purge` deletes a finished group's record and its members' records and results.
 */
export async function cancelGroup(deps: CancelDeps & SlotDeps & { groups: GroupStore }, groupId: string, purge = false) {
  const { group, ids, members } = await loadGroup(deps, groupId);
  const active = members.filter((j) => j && ACTIVE_STATES.includes(j.status));
  if (purge) {
    if (active.length > 0 && !group.cancelled) {
      throw new ConflictError(`group "${groupId}" is still running; cancel it first (DELETE without purge)`, { group_id: groupId });
    }
    for (const j of members) if (j && !ACTIVE_STATES.includes(j.status)) await cancelJob(deps, j.job_id, true).catch(ignoreGone);
    await deps.groups.delete(group);
    return { group_id: groupId, status: 'PURGED' };
  }
  const state = groupState(group, members.map((j) => j?.status ?? 'EXPIRED'));
  if (state !== 'PENDING' && state !== 'STARTED') {
    throw new ConflictError(`group "${groupId}" is already ${state}; add ?purge=true to delete it and its results`, { group_id: groupId, status: state });
  }
  await deps.groups.markCancelled(groupId);
  let cancelled = 0;
  await Promise.all(
    active.map(async (j) => {
      if (await cancelJob(deps, j!.job_id).then(() => true, ignoreGone)) cancelled++;
    }),
  );
  return { group_id: groupId, status: 'CANCELLED', cancelled, total: ids.length };
}

/** A member that ended or vanished meanwhile is nothing to cancel. */
function ignoreGone(err: unknown): false {
  if (err instanceof SqlJobberError && (err.statusCode === 404 || err.statusCode === 409)) return false;
  throw err;
}
