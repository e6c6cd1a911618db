import type { Logger } from '@aws-lambda-powertools/logger';
import { lookup } from '../config/lookup.js';
import type { Config } from '../config/types.js';
import { classifyDbError } from '../db/classifyDbError.js';
import type { DbPools } from '../db/createDbPools.js';
import { resultsTableName } from '../db/resultsTable.js';
import { registerResultsTable, releaseResultsTable, renewResultsTable } from '../db/resultsCatalog.js';
import { cancelQuery } from '../db/cancelQuery.js';
import { runTask } from '../db/runTask.js';
import type { RunningQuery, RunTaskResult } from '../db/types.js';
import type { Settings } from '../settings.js';
import type { TaskRegistry } from '../tasks/types.js';
import { afterMemberEnded, type SlotDeps } from '../groups/groupSlots.js';
import { retryPolicy } from './retryPolicy.js';
import type { Announcer } from '../notify/types.js';
import type { ReusePointers } from '../aws/reusePointers.js';
import { findTwin } from '../reuse/findTwin.js';
import { reuseKey } from '../reuse/reuseKey.js';
import { reuseResult } from '../reuse/reuseResult.js';
import { startLease, type LeaseOptions } from './startLease.js';
import { backoffMs } from './backoffMs.js';

export { backoffMs };
import type { JobItem, JobMessage } from './types.js';

export interface RunDeps extends SlotDeps {
  config: Config;
  tasks: TaskRegistry;
  pools: DbPools;
  /** Lease timing; tests shorten it. */
  lease?: LeaseOptions;
  /** Where a shortened lease comes from in a deployed worker (`SQL_JOBBER_LEASE_MS`, tests only). */
  settings?: Pick<Settings, 'leaseMs'>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Sees the claimed job and its final record (SUCCESS/FAILURE): the worker's log keys and metrics. */
  observe?: { claimed?(job: JobItem): void; finished?(job: JobItem): void };
  /** Completion events: each final write is announced just before it is made (lib/notify/types.ts). */
  notify?: Announcer;
  /** Result reuse pointers (lib/reuse). */
  reuse?: ReusePointers;
}

/** What happened to one message, for logs and tests. */
export type RunOutcome = 'hop' | 'skipped' | 'success' | 'retry' | 'failure' | 'lost';

/** How often a job waiting for an identical job in flight looks again (result reuse, lib/reuse). */
export const COALESCE_WAIT_MS = 2_000;

/** Time kept back from the function's own timeout so the worker can record the outcome. */
const SAFETY_MS = 5_000;
/** Renew every 2 s (a cancel is noticed within that), hold for 30 s (a dead worker is noticed after that). */
export const LEASE: LeaseOptions = { intervalMs: 2_000, leaseMs: 30_000 };

/** The lease of this worker: explicit, else from settings (renewed three times per lease, at most every 2 s), else LEASE. */
export function leaseOptions(deps: Pick<RunDeps, 'lease' | 'settings'>): LeaseOptions {
  if (deps.lease) return deps.lease;
  const leaseMs = deps.settings?.leaseMs;
  if (leaseMs === undefined) return LEASE;
  return { leaseMs, intervalMs: Math.min(LEASE.intervalMs, Math.floor(leaseMs / 3)) };
}


/**
 * Runs one job message: re-sends a message whose ETA is still far off, claims
 * the attempt (a duplicate delivery claims nothing and does nothing), runs the
 * task into its results table, and records SUCCESS, RETRY or FAILURE.
 */
export async function runJob(deps: RunDeps, message: JobMessage, remainingMs: number): Promise<RunOutcome> {
  // Not a moment before the ETA (or the end of a backoff): SQS's delay is whole seconds and may be capped.
  if (message.not_before !== undefined && message.not_before > Date.now()) {
    const { not_before, ...rest } = message;
    await deps.queue.send(message.queue, rest, not_before);
    return 'hop';
  }
  // result reuse (lib/reuse): an identical job in flight is waited for (the job stays PENDING), a recent result is copied
  const twin = message.max_age !== undefined && deps.reuse ? await findTwin({ store: deps.store, reuse: deps.reuse }, message) : undefined;
  if (twin?.decision.kind === 'wait') {
    await deps.queue.send(message.queue, message, Date.now() + COALESCE_WAIT_MS);
    return 'hop';
  }
  const queueTimeoutMs = (lookup(deps.config.queues, message.queue)?.timeout ?? 900) * 1000;
  const leaseOpts = leaseOptions(deps);
  const job = await deps.store.claim(message, Date.now() + leaseOpts.leaseMs);
  if (!job) {
    deps.log.info('message claims nothing (duplicate, stale or cancelled)', { job_id: message.job_id, attempt: message.attempt });
    // A worker that failed after a member's final write (which released its slot) but
    // before the hand-over: the redelivered message hands the slot on (a no-op when taken).
    const current = await deps.store.get(message.job_id);
    if (current && current.run_id === message.run_id) await afterMemberEnded(deps, current);
    return 'skipped';
  }
  deps.observe?.claimed?.(job);
  const task = deps.tasks.get(job.task);
  const source = lookup(deps.config.db, job.db);
  const results = lookup(deps.config.results, job.results_db);
  if (!task || !source || !results) {
    await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }); // completion event
    return finished(deps, await deps.store.fail(job, `task "${job.task}", db "${job.db}" or results "${job.results_db}" is no longer configured`));
  }
  if (twin?.decision.kind === 'reuse') {
    const reused = await reuseResult(deps, job, twin.decision.twin);
    if (reused) return finished(deps, reused.after);
  }
  const budgetMs = Math.max(1000, Math.min(queueTimeoutMs, remainingMs) - SAFETY_MS);
  const timeoutMs = task.timeout === undefined ? budgetMs : Math.min(task.timeout * 1000, budgetMs);
  // This attempt's claim on the table's name: an older attempt or run never swaps in, drops or moves a newer one's table.
  const owner = `${job.run_id}#${job.attempt}`;
  let table = '';
  let running: RunningQuery | undefined;
  const lease = startLease(deps.store, job, leaseOpts, async () => {
    // Cancelled (or taken back) while running: free the database at once.
    if (running) await cancelQuery(deps.pools, source, running).catch(() => false);
  });
  let out: RunTaskResult;
  try {
    // Named by the results database (it may ask the server how it folds names); a name it cannot hold fails the attempt.
    table = await resultsTableName(deps.pools, results, job.job_id);
    // Registered before the table exists, so that what a crashed attempt leaves behind still expires.
    await registerResultsTable(deps.pools, results, { table, jobId: job.job_id, owner, expiresAt: new Date(Date.now() + job.ttl * 1000 + queueTimeoutMs) });
    out = await runTask(deps.pools, {
      source,
      results,
      query: task.query,
      args: job.args,
      table,
      owner,
      timeoutMs,
      onStarted: async (r) => {
        running = r;
        await lease.setRunning(r);
        // Cancelled (or taken back) before the query was sent: a kill now would find the
        // connection idle and be ignored, and the query would run its full course. Do not send it.
        if (lease.lost) throw new Error('the job was cancelled or taken back before its query started');
      },
    });
  } catch (err) {
    await lease.stop();
    return lease.lost ? 'lost' : attemptFailed(deps, job, err, timeoutMs);
  }
  await lease.stop();
  if (!lease.lost) await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }); // completion event
  const after = lease.lost ? undefined : await deps.store.succeed(job, out.count, table, { warnings: out.warnings });
  if (after) {
    // The table now expires with the record; should this fail, the provisional expiry stands.
    const expiresAt = new Date((after.expires_at ?? Math.floor(Date.now() / 1000) + job.ttl) * 1000);
    await renewResultsTable(deps.pools, results, { table, owner, expiresAt }).catch((err: unknown) =>
      deps.log.warn('could not record the results expiry', { job_id: job.job_id, error: (err as Error).message }),
    );
    // result reuse: the freshest result of this query is this one (best effort: a lost pointer only costs a rerun)
    await deps.reuse?.put({ pk: reuseKey(job.task, job.args), job_id: job.job_id, run_id: job.run_id }).catch((err: unknown) =>
      deps.log.warn('could not record the result for reuse', { job_id: job.job_id, error: (err as Error).message }),
    );
    return finished(deps, after);
  }
  // Cancelled or taken back while running: its results must not stay behind, unless the name is a newer attempt's or run's by now.
  await releaseResultsTable(deps.pools, results, table, (o) => o === owner);
  return 'lost';
}

/** A failed attempt: RETRY with backoff while retries remain (never for a cancel), else FAILURE. */
async function attemptFailed(deps: RunDeps, job: JobItem, err: unknown, timeoutMs: number): Promise<RunOutcome> {
  const c = classifyDbError(err);
  const reason = c.kind === 'timeout' ? `timed out after ${Math.round(timeoutMs / 1000)} s: ${c.message}` : c.message;
  deps.log.warn('job attempt failed', { job_id: job.job_id, attempt: job.attempt, kind: c.kind, error: reason });
  const next = retryPolicy(job, c.kind === 'cancelled' ? 'cancelled' : c.kind === 'timeout' ? 'timeout' : 'error');
  if (next.retry) return (await retry(deps, job, reason, next.dueMs)) ? 'retry' : 'lost';
  await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }); // completion event
  return finished(deps, await deps.store.fail(job, reason));
}

/** After a final write (`undefined`: refused, the attempt no longer owned the job): a group member hands its slot on. */
async function finished(deps: RunDeps, after: JobItem | undefined): Promise<RunOutcome> {
  if (!after) return 'lost';
  deps.observe?.finished?.(after);
  // The slot was released in the final write; a worker that dies before this leaves the hand-over to the sweeper.
  await afterMemberEnded(deps, after);
  return after.status === 'SUCCESS' ? 'success' : 'failure';
}

async function retry(deps: RunDeps, job: JobItem, reason: string, due: number): Promise<boolean> {
  const waiting = await deps.store.retry(job, reason, due);
  if (!waiting) return false;
  // Should this send fail (or the worker die now), the sweeper resends once it is overdue by `resend_after`.
  await deps.queue.send(job.queue, { job_id: job.job_id, run_id: job.run_id, queue: job.queue, attempt: job.attempt }, due);
  return true;
}
