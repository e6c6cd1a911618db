import type { Logger } from '@aws-lambda-powertools/logger';
import { bindTask } from '../tasks/params/bindTask.js';
import { lookup } from '../config/lookup.js';
import type { Config } from '../config/types.js';
import { classifyDbError } from '../db/classifyDbError.js';
import type { DbPools } from '../db/createDbPools.js';
import { GuardrailExceeded } from '../db/port/guardrails.js';
import type { RunningQuery, RunTaskInput, RunTaskResult } from '../db/port/types.js';
import { resultsDb } from '../db/resultsDb.js';
import { sourceDb } from '../db/sourceDb.js';
import type { Settings } from '../settings.js';
import type { TaskRegistry } from '../tasks/types.js';
import type { ReusePointers } from '../reuse/reusePointers.js';
import { failed, succeeded } from '../jobs/jobEndings.js';
import { retryPolicy, type AttemptFailure } from '../jobs/retryPolicy.js';
import { messageOf } from '../jobs/jobMessage.js';
import { isOrphan } from '../jobs/orphanAfter.js';
import { ACTIVE_STATES, WAITING_STATES, type JobItem, type JobMessage } from '../jobs/types.js';
import type { Announcer } from '../notify/types.js';
import { findTwin } from '../reuse/findTwin.js';
import { jobReuseKey } from '../reuse/jobReuseKey.js';
import { reuseResult } from '../reuse/reuseResult.js';
import { NO_TRACING, SPAN_ATTRIBUTES, type TraceSpan, type Tracing } from '../observability/tracing.js';
import { endJob } from './endJob.js';
import { handOverSlot } from './handOverSlot.js';
import { admitJobs, joinWaitingList, readRoster, waitsToJoin } from './admitJobs.js';
import { admissionTenant, parkGivesBack } from '../jobs/admission.js';
import { cancelOrphan } from './cancelOrphan.js';
import { leaderKey, releaseWaiters } from './releaseWaiters.js';
import { startLease, type LeaseOptions } from './startLease.js';
import type { JobObserver, SlotDeps } from './types.js';
import { exportDir } from '../export/exportKeys.js';
import { removeExportDir } from '../export/exportExpiry.js';
import { markExpiry } from '../export/markExpiry.js';
import { exportRows, type ExportSummary } from '../export/exportRows.js';
import type { ExportStore } from '../export/exportStore.js';
import type { JobExport } from '../export/exportOptions.js';

export interface RunDeps extends SlotDeps {
  config: Config;
  tasks: TaskRegistry;
  pools: DbPools;
  /** Lease timing; tests shorten it. */
  lease?: LeaseOptions;
  /** Where a shortened lease comes from in a deployed worker (`SQL_JOBBER_LEASE_MS`, tests only). */
  settings?: Pick<Settings, 'leaseMs'>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Sees the claimed job, a failed attempt waiting for another (RETRY) and its final record (SUCCESS/FAILURE): the worker's log keys and metrics. */
  observe?: JobObserver;
  /** Completion events: each final write is announced just before it is made (lib/notify/types.ts). */
  notify?: Announcer;
  /** Result reuse pointers (lib/reuse). */
  reuse?: ReusePointers;
  /** Trace spans (lib/observability/tracing.ts); absent: none. */
  tracing?: Tracing;
  /** The export bucket (`[export]`, lib/export), when configured. */
  exportStore?: ExportStore;
}

/** What happened to one message, for logs and tests. */
export type RunOutcome = 'hop' | 'wait' | 'skipped' | 'success' | 'retry' | 'failure' | 'lost';

/** A second look for waiters of a leader that just ended: a park the waiters index did not show yet (it is eventually consistent). */
const SECOND_LOOK_MS = 1_000;

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
 * Runs one job message: re-sends a message whose ETA is still far off (while its
 * job still waits for it), parks a coalesced waiter on its leader, claims the
 * attempt (a duplicate delivery claims nothing and does nothing), copies a
 * twin's result or runs the task into its results table, and records SUCCESS,
 * RETRY or FAILURE.
 *
 * Traced as `run`, a child of `traceparent` (the message's, from the submit), with
 * `claim` and the run's phases inside, and `queue wait` beside it; re-sent messages
 * keep the same parent, and announcements carry `run` to the notify function.
 */
export async function runJob(deps: RunDeps, message: JobMessage, remainingMs: number, traceparent?: string): Promise<RunOutcome> {
  const tracing = deps.tracing ?? NO_TRACING;
  const span = tracing.start('run', messageAttributes(message), { parent: traceparent, kind: 'consumer' });
  try {
    const outcome = await runMessage({ ...deps, tracing }, message, remainingMs, { span, parent: traceparent });
    span.setAttributes({ [SPAN_ATTRIBUTES.outcome]: outcome });
    span.end();
    return outcome;
  } catch (err) {
    span.end(err);
    throw err;
  }
}

/** The trace of one message: its `run` span, and the submit's span it continues (`parent`). */
interface RunTrace {
  span: TraceSpan;
  parent: string | undefined;
}

async function runMessage(deps: RunDeps & { tracing: Tracing }, message: JobMessage, remainingMs: number, trace: RunTrace): Promise<RunOutcome> {
  // Not a moment before the ETA (or the end of a backoff): SQS's delay is whole seconds and may be capped.
  if (message.not_before !== undefined && message.not_before > Date.now()) return hop(deps, message, trace.parent);
  const leaseOpts = leaseOptions(deps);
  // result reuse (lib/reuse): an identical job in flight is waited for (the job stays PENDING), a recent result is copied
  const twin = message.max_age !== undefined && deps.reuse ? await findTwin({ store: deps.store, reuse: deps.reuse }, message) : undefined;
  if (twin?.decision.kind === 'wait') {
    // Nobody asks for it any more: it does not wait (orphan cancel).
    if (isOrphan(twin.job)) return (await cancelOrphan(deps, twin.job)) ? 'failure' : 'skipped';
    return waitForLeader(deps, twin.job, twin.decision.twin, leaseOpts);
  }
  const queueTimeoutMs = (lookup(deps.config.queues, message.queue)?.timeout ?? 900) * 1000;
  const claim = deps.tracing.start('claim', messageAttributes(message), { parent: trace.span.traceparent });
  const job = await deps.store.claim(message, Date.now() + leaseOpts.leaseMs).catch((err: unknown) => {
    claim.end(err);
    throw err;
  });
  claim.setAttributes({ [SPAN_ATTRIBUTES.outcome]: job ? 'claimed' : 'nothing to claim', ...(job ? { [SPAN_ATTRIBUTES.task]: job.task } : {}) });
  claim.end();
  if (job) traceClaimed(deps.tracing, trace, message, job);
  if (!job) {
    deps.log.info('message claims nothing (duplicate, stale or cancelled)', { job_id: message.job_id, attempt: message.attempt });
    // A worker that failed after a member's final write (which released its slot) but
    // before the hand-over: the redelivered message hands the slot on (a no-op when taken).
    const current = await deps.store.get(message.job_id);
    if (current && current.run_id === message.run_id) {
      // Admission: a job with an ETA, or a dispatched group member, joins its tenant's waiting list now.
      if (waitsToJoin(current)) await joinWaitingList(deps, current);
      else await handOverSlot(deps, current);
    }
    return 'skipped';
  }
  deps.observe?.claimed?.(job);
  // Nobody asked about it while it waited: it never runs (orphan cancel).
  if (isOrphan(job)) return (await cancelOrphan(deps, job)) ? 'failure' : 'lost';
  const task = deps.tasks.get(job.task);
  const source = lookup(deps.config.db, job.db);
  const resultsConfig = lookup(deps.config.results, job.results_db);
  if (!task || !source || !resultsConfig || (job.export && !deps.exportStore)) {
    const what = job.export && !deps.exportStore ? 'the export bucket ([export] bucket)' : `task "${job.task}", db "${job.db}" or results "${job.results_db}"`;
    await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }, trace.span.traceparent); // completion event
    return finished(deps, await endJob(deps, job, failed(job, `${what} is no longer configured`)));
  }
  // The attempt's time: a copy of a twin's result and the run share it.
  const budgetMs = Math.max(1000, Math.min(queueTimeoutMs, remainingMs) - SAFETY_MS);
  const deadline = Date.now() + budgetMs;
  // This attempt's claim on the table's name: an older attempt or run never swaps in, drops or moves a newer one's table.
  const owner = `${job.run_id}#${job.attempt}`;
  let table = '';
  const writesTable = !job.no_results;
  // The export (lib/export): this attempt's own directory, so a retry never writes over a failed attempt's objects.
  const exportStore = job.export ? deps.exportStore : undefined;
  const dir = exportStore ? exportDir(exportStore.config, job.job_id, job.run_id, job.attempt) : '';
  const exporting = exportStore && job.export ? exportRows(exportStore, { dir, jobId: job.job_id, runId: job.run_id, options: job.export }) : undefined;
  let running: RunningQuery | undefined;
  const from = sourceDb(deps.pools, source);
  const results = resultsDb(deps.pools, resultsConfig);
  // Aborted once the attempt no longer owns the job: what it runs on a database stops.
  const stopped = new AbortController();
  const stop = async () => {
    stopped.abort();
    if (running) await from.cancel(running).catch(() => false);
  };
  // Orphan cancel: once nobody has asked about the job for its orphan_after, it is cancelled and its query killed.
  let orphan: Promise<JobItem | undefined> | undefined;
  const watchOrphan = (held: JobItem) => {
    if (orphan || !isOrphan(held)) return;
    orphan = cancelOrphan(deps, held).catch(() => undefined);
    void orphan.then((after) => after && stop());
  };
  // Cancelled (or taken back) while running: free the database at once.
  const lease = startLease(deps.store, job, leaseOpts, stop, watchOrphan);
  if (twin?.decision.kind === 'reuse') {
    // The copy runs under the lease, within the attempt's time: a long copy keeps its job, a cancel stops it.
    const timeUp = AbortSignal.timeout(budgetMs);
    try {
      const reused = await reuseResult(deps, job, twin.decision.twin, { owner, signal: AbortSignal.any([stopped.signal, timeUp]) }, async (count, copied, extra) => {
        await lease.stop();
        if (lease.lost) return undefined;
        await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }, trace.span.traceparent); // completion event
        return endJob(deps, job, succeeded(job, count, copied, extra));
      });
      if (reused) {
        await lease.stop();
        return reused.after ? finished(deps, reused.after) : 'lost';
      }
    } catch (err) {
      await lease.stop();
      if (lease.lost || (await orphan)) return 'lost';
      if (timeUp.aborted) return attemptEnded(deps, job, `timed out after ${Math.round(budgetMs / 1000)} s copying the result of job "${twin.decision.twin.job_id}"`, 'timeout', trace);
      return attemptFailed(deps, job, err, budgetMs, trace);
    }
  }
  const leftMs = Math.max(1000, deadline - Date.now());
  const timeoutMs = task.timeout === undefined ? leftMs : Math.min(task.timeout * 1000, leftMs);
  let out: RunTaskResult;
  try {
    // Identifier parameters placed in the SQL, value parameters bound (lib/tasks/params).
    const bound = bindTask(task, job.args);
    const { maxRows, maxResultBytes, maxCost, onLimit } = task.guardrails;
    if (maxCost !== undefined) {
      // max_cost: the plan first, and the query only when its estimate is within the limit.
      const estimate = await from.estimate(bound.query, bound.args);
      if (estimate.rows !== undefined) lease.setProgress({ estRows: estimate.rows });
      if (estimate.cost !== undefined && estimate.cost > maxCost) {
        throw new GuardrailExceeded(
          'max_cost',
          maxCost,
          `the planner's estimate is over max_cost: ${estimate.costIs} ${estimate.cost} > ${maxCost}; the query did not run (narrow it, or raise max_cost)`,
        );
      }
    } else {
      // The planner's estimate, asked beside the run (never delaying it) and carried by a later renewal; best effort.
      void from
        .estimateRows(bound.query, bound.args)
        .then((estRows) => estRows !== undefined && lease.setProgress({ estRows }))
        .catch(() => undefined);
    }
    if (writesTable) {
      // Named by the results database (it may ask the server how it folds names); a name it cannot hold fails the attempt.
      table = await results.tableName(job.job_id);
      // Registered before the table exists, so that what a crashed attempt leaves behind still expires.
      await results.register({ table, jobId: job.job_id, owner, expiresAt: new Date(Date.now() + job.ttl * 1000 + queueTimeoutMs) });
    }
    // Likewise the export's objects: marked to expire before the first is written.
    if (exportStore) await markExpiry(exportStore, dir, (Date.now() + queueTimeoutMs) / 1000 + job.ttl);
    out = await from.runTask({
      results: resultsConfig,
      ...bound,
      // The caller's verified claims, for row-level security on PostgreSQL sources (lib/identity).
      ...(job.claims === undefined ? {} : { claims: JSON.parse(job.claims) as Record<string, unknown> }),
      table,
      ...(writesTable ? {} : { skipTable: true }),
      ...(exporting ? { export: exporting.open } : {}),
      owner,
      timeoutMs,
      // Shown in the run's marker on the source (PostgreSQL application_name): which job, of which tenant.
      label: job.job_id,
      ...(task.indexes ? { indexes: task.indexes } : {}),
      ...(deps.tracing.enabled ? { phase: phaseSpans(deps.tracing, trace.span, job) } : {}),
      ...(maxRows === undefined && maxResultBytes === undefined ? {} : { limits: { maxRows, maxBytes: maxResultBytes, onLimit: onLimit ?? 'fail' } }),
      onProgress: (written) => lease.setProgress(written),
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
    const outcome = lease.lost || (await orphan) ? 'lost' : await attemptFailed(deps, job, err, timeoutMs, trace);
    // A run stopped at a result limit drops its temporary table while the FAILURE is recorded: done before the worker moves on.
    if (err instanceof GuardrailExceeded) await err.cleanup;
    return outcome;
  }
  await lease.stop();
  if (!lease.lost) await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }, trace.span.traceparent); // completion event
  trace.span.setAttributes({ [SPAN_ATTRIBUTES.rows]: out.count });
  const exported = exportRecord(job.export, exporting?.summary());
  // A slot's next job: the roster is read beside the final write that gives the slot back.
  const roster = !lease.lost && job.admitted ? readRoster(deps, job.queue, admissionTenant(job)) : undefined;
  const after = lease.lost
    ? undefined
    : await endJob(deps, job, succeeded(job, out.count, writesTable ? table : undefined, { warnings: out.warnings, bytes: out.bytes, truncated: out.truncated, ...(exported ? { export: exported } : {}) }));
  if (after) {
    // The slot goes on at once: the next job does not wait for this one's bookkeeping (the final write released it).
    const handedOver = handOverSlot(deps, after, roster);
    handedOver.catch(() => undefined);
    // The table (and the export) now expire with the record; should this fail, the provisional expiry stands.
    const expiresS = after.expires_at ?? Math.floor(Date.now() / 1000) + job.ttl;
    if (writesTable) {
      await results.renew({ table, owner, expiresAt: new Date(expiresS * 1000) }).catch((err: unknown) =>
        deps.log.warn('could not record the results expiry', { job_id: job.job_id, error: (err as Error).message }),
      );
      // result reuse: the freshest result of this query is this one (best effort: a lost pointer only costs a rerun)
      await deps.reuse?.put({ pk: jobReuseKey(job), job_id: job.job_id, run_id: job.run_id }).catch((err: unknown) =>
        deps.log.warn('could not record the result for reuse', { job_id: job.job_id, error: (err as Error).message }),
      );
    }
    if (exportStore) {
      await markExpiry(exportStore, dir, expiresS).catch((err: unknown) =>
        deps.log.warn('could not record the export expiry', { job_id: job.job_id, error: (err as Error).message }),
      );
    }
    return finished(deps, after, handedOver);
  }
  // Cancelled or taken back while running: its results must not stay behind, unless the name is a newer attempt's or run's by now.
  if (writesTable) await results.release(table, (o) => o === owner);
  // This attempt's export directory is its own: nothing newer writes there.
  if (exportStore) await removeExportDir(exportStore, dir).catch(() => undefined);
  return 'lost';
}

/** The record of a finished export: the job's options with the manifest's key and totals. */
function exportRecord(options: JobExport | undefined, summary: ExportSummary | undefined): JobExport | undefined {
  if (!options || !summary) return undefined;
  const { manifest } = summary;
  return { ...options, manifest: summary.manifestKey, parts: manifest.parts.length, rows: manifest.rows, bytes: manifest.bytes };
}

/** A failed attempt: RETRY with backoff while retries remain (never for a cancel), else FAILURE. */
async function attemptFailed(deps: RunDeps, job: JobItem, err: unknown, timeoutMs: number, trace: RunTrace): Promise<RunOutcome> {
  if (err instanceof GuardrailExceeded) {
    // A guardrail stops the same query every time: no retry.
    deps.log.warn('job stopped by a guardrail', { job_id: job.job_id, attempt: job.attempt, guardrail: err.guardrail, error: err.message });
    await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }, trace.span.traceparent); // completion event
    return finished(deps, await endJob(deps, job, failed(job, err.message)));
  }
  const c = classifyDbError(err);
  const reason = c.kind === 'timeout' ? `timed out after ${Math.round(timeoutMs / 1000)} s: ${c.message}` : c.message;
  deps.log.warn('job attempt failed', { job_id: job.job_id, attempt: job.attempt, kind: c.kind, error: reason });
  return attemptEnded(deps, job, reason, c.kind === 'cancelled' ? 'cancelled' : c.kind === 'timeout' ? 'timeout' : 'error', trace);
}

/** An attempt that ended without a result, for `why`: RETRY while the policy allows, else FAILURE with `reason`. */
async function attemptEnded(deps: RunDeps, job: JobItem, reason: string, why: AttemptFailure, trace: RunTrace): Promise<RunOutcome> {
  const next = retryPolicy(job, why);
  if (next.retry) return (await retry(deps, job, reason, next.dueMs, trace.parent)) ? 'retry' : 'lost';
  await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }, trace.span.traceparent); // completion event
  return finished(deps, await endJob(deps, job, failed(job, reason)));
}

/**
 * An early message (an ETA beyond SQS's delay): sent again to arrive later, only
 * while its job still waits for this attempt. A cancelled, purged, finished or
 * replaced job's message stops here instead of hopping until its ETA.
 */
async function hop(deps: RunDeps, message: JobMessage, traceparent?: string): Promise<RunOutcome> {
  const job = await deps.store.get(message.job_id);
  if (!job || job.purged || job.run_id !== message.run_id || job.attempt !== message.attempt || !WAITING_STATES.includes(job.status)) {
    deps.log.info('an early message of a job that no longer waits for it: dropped', { job_id: message.job_id, attempt: message.attempt });
    return 'skipped';
  }
  const { not_before, ...rest } = message;
  await deps.queue.send(message.queue, rest, not_before, traceparent);
  return 'hop';
}

/**
 * A coalesced waiter parks on its leader's run: no message until the leader's
 * end releases it (releaseWaiters). On a queue with admission it gives its slot
 * back as it parks, and the next waiting job takes it; its message, once
 * released, brings it back into its tenant's waiting list. Its backstop: should that release be lost,
 * the sweeper resends it once the leader's attempt could have timed out. The
 * leader is read again after the park: one that ended before the park was
 * written released nobody, so the waiter comes back at once.
 */
async function waitForLeader(deps: RunDeps, job: JobItem, leader: JobItem, leaseOpts: LeaseOptions): Promise<RunOutcome> {
  const key = leaderKey(leader);
  const backstopMs = (lookup(deps.config.queues, leader.queue)?.timeout ?? 900) * 1000 + leaseOpts.leaseMs;
  // Admission: a waiter holds no slot while it waits; released, it joins its tenant's waiting list and is admitted anew.
  const holdsSlot = job.admitted === true && !job.adm_released;
  const parked = holdsSlot
    ? await deps.store.parkAdmitted(job, key, Date.now() + backstopMs, parkGivesBack(job))
    : await deps.store.park(job, key, Date.now() + backstopMs);
  if (!parked) return 'skipped';
  if (holdsSlot) await admitJobs(deps, job.queue, { slot: job.adm_slot, tenant: admissionTenant(job) });
  const now = await deps.store.get(leader.job_id);
  if (now && now.run_id === leader.run_id && ACTIVE_STATES.includes(now.status)) return 'wait';
  const due = await deps.store.unpark(parked, key);
  if (due) await deps.queue.send(due.queue, messageOf(due), undefined, due.traceparent);
  return 'hop';
}

/**
 * After a final write (`undefined`: refused, the attempt no longer owned the job): a group member hands its slot on.
 * `handedOver`: the hand-over, already under way.
 */
async function finished(deps: RunDeps, after: JobItem | undefined, handedOver?: Promise<void>): Promise<RunOutcome> {
  if (!after) return 'lost';
  deps.observe?.finished?.(after);
  // The slot was released in the final write; a worker that dies before this leaves the hand-over to the sweeper.
  await (handedOver ?? handOverSlot(deps, after));
  await releaseLeaderWaiters(deps, after);
  return after.status === 'SUCCESS' ? 'success' : 'failure';
}

async function retry(deps: RunDeps, job: JobItem, reason: string, due: number, traceparent: string | undefined): Promise<boolean> {
  const waiting = await deps.store.retry(job, reason, due);
  if (!waiting) return false;
  deps.observe?.retried?.(waiting);
  // Should this send fail (or the worker die now), the sweeper resends once it is overdue by `resend_after`.
  await deps.queue.send(job.queue, messageOf(waiting), due, traceparent);
  return true;
}

/** The spans' attributes known from a message. */
function messageAttributes(message: JobMessage) {
  return { [SPAN_ATTRIBUTES.queue]: message.queue, [SPAN_ATTRIBUTES.jobId]: message.job_id, [SPAN_ATTRIBUTES.attempt]: message.attempt };
}

/** The spans' attributes of a claimed job. */
function jobAttributes(job: JobItem) {
  return { [SPAN_ATTRIBUTES.queue]: job.queue, [SPAN_ATTRIBUTES.task]: job.task, [SPAN_ATTRIBUTES.jobId]: job.job_id, [SPAN_ATTRIBUTES.attempt]: job.attempt };
}

/**
 * Once claimed: the task joins the run's attributes, and `queue wait` is recorded
 * from when the message was due (its backoff's or ETA's end, else the job's creation) to now.
 */
function traceClaimed(tracing: Tracing, trace: RunTrace, message: JobMessage, job: JobItem): void {
  if (!tracing.enabled) return;
  trace.span.setAttributes({ [SPAN_ATTRIBUTES.task]: job.task });
  const due = message.not_before ?? Math.max(Date.parse(job.created_at), job.eta ? Date.parse(job.eta) : 0);
  const startMs = Number.isFinite(due) ? Math.min(due, Date.now()) : Date.now();
  tracing.start('queue wait', jobAttributes(job), { parent: trace.parent, startMs }).end();
}

/** The run's phases as spans inside `run` (RunTaskInput.phase). */
function phaseSpans(tracing: Tracing, run: TraceSpan, job: JobItem): NonNullable<RunTaskInput['phase']> {
  return (name) => {
    const span = tracing.start(name, jobAttributes(job), { parent: run.traceparent });
    return (error) => span.end(error);
  };
}

/**
 * A leader's end releases its coalesced waiters (result reuse): at once, and once
 * more a moment later for a park the waiters index did not show yet. Best effort:
 * a waiter missed is resent by the sweeper at its backstop.
 */
async function releaseLeaderWaiters(deps: RunDeps, after: JobItem): Promise<void> {
  if (after.max_age === undefined) return;
  const pass = () => releaseWaiters(deps, after).catch((err: unknown) => deps.log.warn('could not release coalesced waiters; the sweeper resends them', { job_id: after.job_id, error: (err as Error).message }));
  await pass();
  await new Promise((r) => setTimeout(r, SECOND_LOOK_MS));
  await pass();
}
