import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import { InvalidRequestError, JobActiveError } from '../errors.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import { newJobItem, submittedJob } from '../jobs/newJobItem.js';
import { parseJobRequest } from '../jobs/parseJobRequest.js';
import { quoteInput } from '../quoteInput.js';
import { ACTIVE_STATES, type JobItem } from '../jobs/types.js';
import type { TaskRegistry } from '../tasks/types.js';
import { fillSlot } from './groupSlots.js';
import type { GroupStore } from './groupStore.js';
import { checkGroupArgBytes, parseGroupRequest } from './parseGroupRequest.js';
import { groupKey, type GroupItem } from './types.js';

export interface GroupDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
}

/** How long a group's record outlives the longest TTL of its jobs. */
const GROUP_GRACE_SECONDS = 7 * 24 * 3600;

/** Validates every job of a group against its task; the first bad one refuses the whole group. */
function buildMembers(deps: GroupDeps, groupId: string, jobs: unknown[]): JobItem[] {
  const seen = new Map<string, number>();
  return jobs.map((raw, i) => {
    const id = raw && typeof raw === 'object' && typeof (raw as { job_id?: unknown }).job_id === 'string' ? (raw as { job_id: string }).job_id : undefined;
    const where = `jobs[${i}]${id ? ` (job_id ${quoteInput(id)})` : ''}: `;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidRequestError(`${where}expected a JSON object`);
    const taskName = (raw as { task?: unknown }).task;
    if (typeof taskName !== 'string') throw new InvalidRequestError(`${where}task: required, the name of a task`);
    const task = deps.tasks.get(taskName);
    if (!task) throw new InvalidRequestError(`${where}unknown task ${quoteInput(taskName)}`);
    const req = parseJobRequest(raw, task, deps.config, where);
    const item = newJobItem(task, req);
    const first = seen.get(item.job_id);
    if (first !== undefined) throw new InvalidRequestError(`${where}job_id "${item.job_id}" is also used by jobs[${first}]`);
    seen.set(item.job_id, i);
    return { ...item, group_id: groupId, group_index: i };
  });
}

/**
 * POST /groups: validates the whole group first (one bad job refuses it all,
 * nothing recorded), records the group and its members (held, not queued), then
 * dispatches the first `concurrency` members. Each member's end dispatches the next.
 */
export async function submitGroup(deps: GroupDeps, body: unknown) {
  const req = parseGroupRequest(body);
  const groupId = req.group_id ?? randomUUID();
  const members = buildMembers(deps, groupId, req.jobs);
  checkGroupArgBytes(members);

  const active = (await deps.store.getMany(members.map((m) => m.job_id))).filter((j) => ACTIVE_STATES.includes(j.status));
  if (active.length > 0) {
    const j = active[0]!;
    const i = members.findIndex((m) => m.job_id === j.job_id);
    throw new InvalidRequestError(`jobs[${i}] (job_id "${j.job_id}"): a job with this ID is still ${j.status}`);
  }

  const now = Math.floor(Date.now() / 1000);
  const header: GroupItem = {
    pk: groupKey(groupId),
    group_id: groupId,
    concurrency: req.concurrency,
    total: members.length,
    next_index: 0,
    finished: 0,
    cancelled: false,
    created_at: new Date().toISOString(),
    expires_at: now + Math.max(...members.map((m) => m.ttl)) + GROUP_GRACE_SECONDS,
  };
  await deps.groups.create(header, members.map((m) => m.job_id));

  const chunks: JobItem[][] = [];
  for (let i = 0; i < members.length; i += 100) chunks.push(members.slice(i, i + 100));
  const results = await Promise.allSettled(chunks.map((chunk) => deps.store.createMany(chunk)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) {
    // Take back what was written, so a refused group leaves nothing behind.
    const written = chunks.filter((_, i) => results[i]!.status === 'fulfilled').flat();
    await Promise.all(written.map((m) => deps.store.discard(m.job_id, m.run_id).catch(() => undefined)));
    await deps.groups.delete(header).catch(() => undefined);
    const err: unknown = failure.reason;
    if (err instanceof JobActiveError) {
      const i = members.findIndex((m) => err.message.includes(`"${m.job_id}"`));
      throw new InvalidRequestError(`jobs[${i}] (job_id "${members[i]?.job_id}"): ${err.message}`);
    }
    throw err;
  }

  // Each fill takes its own position with a conditional write, so they may run at once.
  await Promise.all(Array.from({ length: Math.min(req.concurrency, members.length) }, () => fillSlot(deps, groupId)));
  return { group_id: groupId, concurrency: req.concurrency, jobs: members.map(submittedJob) };
}
