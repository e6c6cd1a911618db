import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config/types.js';
import { InvalidRequestError, JobActiveError } from '../errors.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import { newJobItem, submittedJob } from '../jobs/newJobItem.js';
import { parseJobRequest } from '../jobs/parseJobRequest.js';
import { parseEta } from '../jobs/parseEta.js';
import { ACTIVE_STATES, type JobItem } from '../jobs/types.js';
import type { TaskRegistry } from '../tasks/types.js';
import { sendFirstMessage } from './groupSlots.js';
import type { GroupStore } from './groupStore.js';
import { checkGroupArgBytes, parseGroupRequest } from './parseGroupRequest.js';
import { quoteInput } from '../quoteInput.js';
import { GROUP_GRACE_SECONDS, groupKey, type GroupItem } from './types.js';

export interface GroupDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
  log?: Pick<Logger, 'warn'>;
}

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
 * nothing recorded), records the group and its members, the first `concurrency`
 * of them already dispatched and the rest held, then sends the dispatched
 * members' messages. Each member's end dispatches the next.
 */
export async function submitGroup(deps: GroupDeps, body: unknown) {
  const req = parseGroupRequest(body);
  const groupId = req.group_id ?? randomUUID();
  const groupRun = randomUUID();
  const built = buildMembers(deps, groupId, req.jobs);
  checkGroupArgBytes(built);

  const active = (await deps.store.getMany(built.map((m) => m.job_id))).filter((j) => ACTIVE_STATES.includes(j.status));
  if (active.length > 0) {
    const j = active[0]!;
    const i = built.findIndex((m) => m.job_id === j.job_id);
    throw new InvalidRequestError(`jobs[${i}] (job_id "${j.job_id}"): a job with this ID is still ${j.status}`);
  }

  const groupTtl = Math.max(...built.map((m) => m.ttl));
  const first = Math.min(req.concurrency, built.length);
  const members: JobItem[] = built.map((m, i) => ({ ...m, group_run: groupRun, group_ttl: groupTtl, ...(i < first ? { dispatched: true } : {}) }));
  const now = Math.floor(Date.now() / 1000);
  const latestEta = Math.max(now, ...members.map((m) => (m.eta ? Math.floor(parseEta(m.eta) / 1000) : 0)));
  const header: GroupItem = {
    pk: groupKey(groupId),
    group_id: groupId,
    group_run: groupRun,
    concurrency: req.concurrency,
    total: members.length,
    next_index: first,
    free_slots: req.concurrency - first,
    finished: 0,
    cancelled: false,
    created_at: new Date().toISOString(),
    group_ttl: groupTtl,
    // Members that end push this on (now + group_ttl + grace), so it also covers long runs.
    expires_at: latestEta + groupTtl + GROUP_GRACE_SECONDS,
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
      const i = members.findIndex((m) => m.job_id === err.jobId);
      throw new InvalidRequestError(`jobs[${i}] (job_id "${err.jobId}"): ${err.message}`);
    }
    throw err;
  }

  await Promise.all(members.slice(0, first).map((m) => sendFirstMessage(deps, m)));
  return { group_id: groupId, concurrency: req.concurrency, jobs: members.map(submittedJob) };
}
