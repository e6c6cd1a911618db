import { GroupNotFoundError } from '../errors.js';
import type { GroupStore } from '../groups/groupStore.js';
import { groupStatus } from '../groups/groupStatus.js';
import type { JobStore } from '../jobs/jobStore.js';
import { pollUntil, type PollOptions } from './pollUntil.js';

type GroupStatus = Awaited<ReturnType<typeof groupStatus>>;

const FINAL = new Set(['SUCCESS', 'FAILURE', 'CANCELLED']);
/** Whether a group status is final: every member ended, or the group was cancelled. */
export const isFinalGroup = (status: { status: string }) => FINAL.has(status.status);

/**
 * GET /groups/{groupID}?wait=N: the group's status as soon as it is final (at
 * once if it already is), else as it stands after `waitSeconds`.
 *
 * Cheap however large the group: while waiting it reads only the group's header
 * (one GetItem), whose counter of ended members reaches the total (or whose
 * cancelled flag is set) once the group can be final; only then are the members
 * read to compute the status.
 */
export async function waitForGroup(
  deps: { store: JobStore; groups: GroupStore },
  groupId: string,
  waitSeconds: number,
  opts: Omit<PollOptions, 'waitMs'> = {},
): Promise<GroupStatus> {
  const now = opts.now ?? Date.now;
  const deadline = now() + waitSeconds * 1000;
  const first = await groupStatus(deps, groupId);
  if (isFinalGroup(first)) return first;
  const last = await pollUntil(
    async (): Promise<GroupStatus | undefined> => {
      const header = await deps.groups.get(groupId);
      if (!header) throw new GroupNotFoundError(groupId);
      return header.cancelled || header.finished >= header.total ? groupStatus(deps, groupId) : undefined;
    },
    (s) => s !== undefined && isFinalGroup(s),
    { ...opts, waitMs: Math.max(0, deadline - now()) },
  );
  return last ?? groupStatus(deps, groupId);
}
