import { GroupNotFoundError } from '../errors.js';
import type { JobStore } from '../jobs/jobStore.js';
import { FINAL_STATES, type JobItem } from '../jobs/types.js';
import { DEFAULT_TENANT } from '../identity/caller.js';
import { wireId } from '../identity/tenantScope.js';
import type { GroupStore } from './groupStore.js';
import type { GroupItem } from './types.js';

/**
 * A group's state from its members: PENDING until one starts; STARTED while any
 * has started and not all have ended; once all have ended, FAILURE if any failed,
 * else CANCELLED if any was cancelled, else SUCCESS. A cancelled group is CANCELLED.
 */
export function groupState(group: Pick<GroupItem, 'cancelled'>, states: string[]): string {
  if (group.cancelled) return 'CANCELLED';
  const ended = states.filter((s) => (FINAL_STATES as readonly string[]).includes(s) || s === 'EXPIRED');
  if (ended.length === states.length) {
    if (states.includes('FAILURE')) return 'FAILURE';
    if (states.includes('CANCELLED')) return 'CANCELLED';
    return 'SUCCESS';
  }
  return states.some((s) => s !== 'PENDING') ? 'STARTED' : 'PENDING';
}

/** The group with its members, in submission order; also returns the raw member records. */
export async function loadGroup(deps: { store: JobStore; groups: GroupStore }, groupId: string) {
  const group = await deps.groups.get(groupId);
  if (!group) throw new GroupNotFoundError(groupId);
  const ids = await deps.groups.jobIds(group);
  const byId = new Map((await deps.store.getMany(ids)).filter((j) => j.group_id === groupId && (j.group_run === undefined || j.group_run === group.group_run)).map((j) => [j.job_id, j]));
  const members = ids.map((id) => byId.get(id));
  return { group, ids, members };
}

/** A member in both generations' names: dungbeetle v2 reads `job_id`, `state`, `count`, `error` of each. */
function memberStatus(id: string, job: JobItem | undefined) {
  if (!job) return { job_id: wireId(id), status: 'EXPIRED', state: 'EXPIRED', count: null, error: '', warnings: [] as string[] };
  return {
    job_id: wireId(id),
    task: job.task,
    status: job.status,
    state: job.status,
    count: job.count ?? null,
    error: job.error ?? '',
    attempt: job.attempt,
    warnings: job.warnings ?? [],
  };
}

/** GET /groups/{groupID}: `{group_id, status, jobs}` with dungbeetle v2's `state` beside `status`, plus counts. */
export async function groupStatus(deps: { store: JobStore; groups: GroupStore }, groupId: string) {
  const { group, ids, members } = await loadGroup(deps, groupId);
  const jobs = ids.map((id, i) => memberStatus(id, members[i]));
  const counts: Record<string, number> = {};
  for (const j of jobs) counts[j.status] = (counts[j.status] ?? 0) + 1;
  const state = groupState(group, jobs.map((j) => j.status));
  return {
    group_id: wireId(group.group_id),
    tenant: group.tenant ?? DEFAULT_TENANT,
    status: state,
    state,
    concurrency: group.concurrency,
    total: group.total,
    counts,
    created_at: group.created_at,
    jobs,
  };
}
