import { randomUUID } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { admissionOn, type Config } from '../config/types.js';
import { lookup } from '../config/lookup.js';
import { InvalidRequestError, JobActiveError, TenantQueueFullError } from '../errors.js';
import { admissionTenant, queueMany, unqueueMany } from '../jobs/admission.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore, QueuedCount } from '../jobs/jobStore.js';
import { newJobItem, submittedJob } from '../jobs/newJobItem.js';
import { parseJobRequest } from '../jobs/parseJobRequest.js';
import { parseEta } from '../jobs/parseEta.js';
import type { JobItem } from '../jobs/types.js';
import type { TaskRegistry } from '../tasks/types.js';
import type { GroupStore } from '../groups/groupStore.js';
import { checkGroupArgBytes, parseGroupRequest } from '../groups/parseGroupRequest.js';
import { GROUP_GRACE_SECONDS, groupKey, type GroupItem } from '../groups/types.js';
import { quoteInput } from '../quoteInput.js';
import { DEFAULT_TENANT, SERVICE_CALLER, type Caller } from '../identity/caller.js';
import { scopeId, wireId } from '../identity/tenantScope.js';
import { ownedJob } from '../jobs/ownedJob.js';
import { sendFirstMessage } from './sendFirstMessage.js';

export interface GroupDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
  log?: Pick<Logger, 'warn'>;
}

/**
 * Member transactions in flight at once: 1,000 members take three rounds. More at
 * once gains nothing: DynamoDB Local serialises transactions and times out those
 * that wait too long for its lock (retried, they took up to 26 s here with 10 at
 * once), and on AWS a round of 100-item transactions takes some tens of ms.
 */
const MEMBER_WRITES_AT_ONCE = 4;

/**
 * Promise.allSettled over `items`, with at most `limit` calls of `f` in flight, in
 * order. After a failure no further call starts: those items are rejected unstarted.
 */
async function settleAtMost<T>(limit: number, items: readonly T[], f: (item: T) => Promise<void>): Promise<PromiseSettledResult<void>[]> {
  const out: PromiseSettledResult<void>[] = items.map(() => ({ status: 'rejected', reason: new Error('not started: an earlier write failed') }));
  let next = 0;
  let failed = false;
  const lane = async () => {
    for (let i = next++; i < items.length && !failed; i = next++) {
      out[i] = await f(items[i]!).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => {
          failed = true;
          return { status: 'rejected', reason } as const;
        },
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** Validates every job of a group against its task; the first bad one refuses the whole group. */
function buildMembers(deps: GroupDeps, groupId: string, jobs: unknown[], caller: Caller, priority: number | undefined): JobItem[] {
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
    if (req.priority !== undefined) throw new InvalidRequestError(`${where}priority: a group's jobs take the group's priority; set "priority" on the group`);
    const owned = ownedJob(newJobItem(task, { ...req, ...(priority === undefined ? {} : { priority }) }), task, caller, deps.config);
    // Admission (lib/jobs/admission.ts): counted among its tenant's waiting jobs at submit (as the group's
    // write, refused whole past tenant_max_queued); it joins its tenant's waiting list once its group dispatches it.
    const queue = lookup(deps.config.queues, owned.queue);
    const item: JobItem = queue && admissionOn(queue) ? { ...owned, admission: true, adm_queued: true } : owned;
    const first = seen.get(item.job_id);
    if (first !== undefined) throw new InvalidRequestError(`${where}job_id "${item.job_id}" is also used by jobs[${first}]`);
    seen.set(item.job_id, i);
    return { ...item, group_id: groupId, group_index: i };
  });
}

/**
 * Admission (lib/jobs/admission.ts): the queues with admission that the group's
 * members go to, each with its `tenant_max_queued`. A group with more members on
 * one of them than the limit is refused here, before anything is written.
 */
function admissionCounts(deps: GroupDeps, members: JobItem[]): Map<string, number | undefined> {
  const counted = new Map<string, number | undefined>();
  const perQueue = new Map<string, number>();
  for (const m of members) {
    if (!m.adm_queued) continue;
    counted.set(m.queue, lookup(deps.config.queues, m.queue)?.tenantMaxQueued);
    perQueue.set(m.queue, (perQueue.get(m.queue) ?? 0) + 1);
  }
  for (const [queue, n] of perQueue) {
    const max = counted.get(queue);
    if (max !== undefined && n > max) throw new TenantQueueFullError(queue, max);
  }
  return counted;
}

/** The waiting places one write of members takes: per queue with admission, as many as it has members there. */
function countsOf(chunk: JobItem[]): [queue: string, n: number][] {
  const perQueue = new Map<string, number>();
  for (const m of chunk) if (m.adm_queued) perQueue.set(m.queue, (perQueue.get(m.queue) ?? 0) + 1);
  return [...perQueue];
}

/**
 * POST /groups: validates the whole group first (one bad job refuses it all,
 * nothing recorded; so do more members than their tenant may have waiting on a
 * queue with admission: 429), records its members (100 to a transaction, a few
 * at once, each write counting its members among their tenant's waiting jobs), the
 * first `concurrency` of them already dispatched and the rest held, then the group
 * itself, then sends the dispatched members' messages. Each member's end
 * dispatches the next. Crash-safe at every point: before the group's record, its
 * members are removed by the sweeper (sweepWaiting); after it, a lost message is
 * sent again by the sweeper.
 */
export async function submitGroup(deps: GroupDeps, body: unknown, caller: Caller = SERVICE_CALLER) {
  const req = parseGroupRequest(body);
  // Group IDs are per tenant, as job IDs are (lib/identity/tenantScope.ts).
  const groupId = scopeId(caller.tenant, req.group_id ?? randomUUID());
  const groupRun = randomUUID();
  const built = buildMembers(deps, groupId, req.jobs, caller, req.priority);
  checkGroupArgBytes(built);

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
    ...(caller.tenant === DEFAULT_TENANT ? {} : { tenant: caller.tenant }),
  };
  // Members first, the header last: the header is the commit. Each member's write is
  // conditional on its ID being free, so an active job refuses the group there. A submit that dies
  // before it leaves members whose group does not exist; sweepWaiting removes them
  // once they are older than GROUP_SUBMIT_WINDOW_MS (far past the API's timeout), so
  // no group is ever visible with fewer members than its `total`.
  const counted = admissionCounts(deps, members);
  const size = 100 - counted.size;
  const chunks: JobItem[][] = [];
  for (let i = 0; i < members.length; i += size) chunks.push(members.slice(i, i + size));
  const tag = admissionTenant(members[0]!);
  const shards = deps.store.indexShardCount();
  const counts = (chunk: JobItem[]): QueuedCount[] =>
    countsOf(chunk).map(([queue, n]) => ({ queue, maxQueued: counted.get(queue), update: queueMany(queue, tag, shards, n, counted.get(queue)) }));
  const results = await settleAtMost(MEMBER_WRITES_AT_ONCE, chunks, (chunk) => deps.store.createMany(chunk, counts(chunk)));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  const err: unknown = failure ? failure.reason : await deps.groups.create(header, members.map((m) => m.job_id)).then(() => undefined, (e: unknown) => e);
  if (err !== undefined) {
    // Take back what was written, with the waiting places it took, so a refused group leaves nothing behind (what a crash leaves, the sweeper takes).
    for (const chunk of chunks.filter((_, i) => results[i]!.status === 'fulfilled')) {
      const giveBack = countsOf(chunk).map(([queue, n]) => unqueueMany(queue, tag, n));
      if (giveBack.length === 0) {
        await Promise.all(chunk.map((m) => deps.store.discard(m.job_id, m.run_id).catch(() => false)));
        continue;
      }
      // Counted members go in one write with their places: a place is never given back without its member, nor kept.
      const gone = await deps.store.discardMany(chunk, giveBack).catch(() => false);
      if (!gone) deps.log?.warn('could not take back the members of a refused group; the sweeper cancels them', { group_id: groupId });
    }
    if (err instanceof JobActiveError) {
      const i = members.findIndex((m) => m.job_id === err.jobId);
      throw new InvalidRequestError(`jobs[${i}] (job_id "${err.jobId}"): a job with this ID is still ${err.status}`);
    }
    throw err;
  }

  await Promise.all(members.slice(0, first).map((m) => sendFirstMessage(deps, m)));
  return { group_id: wireId(groupId), concurrency: req.concurrency, jobs: members.map(submittedJob) };
}
