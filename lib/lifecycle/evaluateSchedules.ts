import type { Logger } from '@aws-lambda-powertools/logger';
import { lookup } from '../config/lookup.js';
import { admissionOn, type Config } from '../config/types.js';
import { SqlJobberError } from '../errors.js';
import { DEFAULT_TENANT, type Caller } from '../identity/caller.js';
import { wireId } from '../identity/tenantScope.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import type { JobStore } from '../jobs/jobStore.js';
import { newJobItem } from '../jobs/newJobItem.js';
import { ownedJob } from '../jobs/ownedJob.js';
import { parseJobRequest } from '../jobs/parseJobRequest.js';
import type { JobItem } from '../jobs/types.js';
import { advanceUpdate, type ScheduleAdvance, type ScheduleStore } from '../schedules/scheduleStore.js';
import { cronFor, planTicks, SCHEDULE_GRACE_MS, tickStamp } from '../schedules/scheduleTicks.js';
import type { ScheduleItem } from '../schedules/types.js';
import type { TaskRegistry } from '../tasks/types.js';

export interface EvaluateDeps {
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  queue: JobQueue;
  schedules: ScheduleStore;
  log: Pick<Logger, 'warn'>;
}

export interface EvaluateOptions {
  /** Epoch ms the evaluation takes as now (tests inject a clock). */
  now?: number;
  /** A tick seen later than this is missed (`catchup`). */
  graceMs?: number;
}

/** What one evaluation did: jobs made, ticks skipped by catchup, schedules another evaluator (or a pause) took first, ticks that made no job. */
export interface EvaluateTally {
  made: number;
  skipped: number;
  lost: number;
  failed: number;
}

/** Schedules evaluated at once. */
const LANES = 8;
/** At most this many writes per schedule in one evaluation (`catchup = "all"` after a long outage continues in the next). */
const MAX_ROUNDS = 40;

/**
 * The scheduler: makes the jobs of every due tick of every schedule. Each write
 * moves a schedule on from the `next_at` it read and creates that tick's jobs in
 * one transaction, so several evaluators at once make each job exactly once (the
 * loser's write is refused and it moves on). Messages are sent after the write; a
 * lost one is sent again by the sweeper (`resend_after`), like any waiting job's.
 */
export async function evaluateSchedules(deps: EvaluateDeps, opts: EvaluateOptions = {}): Promise<EvaluateTally> {
  const now = opts.now ?? Date.now();
  const tally: EvaluateTally = { made: 0, skipped: 0, lost: 0, failed: 0 };
  const due = await deps.schedules.listDue(now);
  // A few schedules at a time: a minute's evaluation keeps up with thousands of them.
  let next = 0;
  const lane = async () => {
    for (let schedule = due[next++]; schedule; schedule = due[next++]) {
      try {
        await evaluateOne(deps, schedule, now, opts.graceMs ?? SCHEDULE_GRACE_MS, tally);
      } catch (err) {
        // One schedule's fault (DynamoDB down, a bad stored pattern) does not hold up the others; the next evaluation tries again.
        tally.failed++;
        deps.log.warn('schedule evaluation failed', { schedule_id: schedule.schedule_id, error: (err as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(LANES, due.length) }, lane));
  return tally;
}

async function evaluateOne(deps: EvaluateDeps, schedule: ScheduleItem, now: number, graceMs: number, tally: EvaluateTally): Promise<void> {
  const cron = cronFor(schedule.cron, schedule.timezone);
  let at = schedule.next_at;
  for (let round = 0; round < MAX_ROUNDS && at <= now; round++) {
    const plan = planTicks(cron, at, schedule.catchup, now, graceMs);
    let jobs: JobItem[] = [];
    let error: string | undefined;
    try {
      jobs = plan.run.map((tick) => tickJob(deps, schedule, tick));
    } catch (err) {
      if (!(err instanceof SqlJobberError)) throw err;
      // The task or the config changed under the schedule: its ticks are recorded as failed, not retried forever.
      error = `${err.message} (ticks ${plan.run.map((t) => new Date(t).toISOString()).join(', ')} made no job)`;
      jobs = [];
      tally.failed += plan.run.length;
    }
    const written = await write(deps, { schedule_id: schedule.schedule_id, next_at: at }, jobs, plan.next, plan.skipped, error);
    if (written === undefined) {
      tally.lost++;
      return;
    }
    tally.made += written.length;
    tally.skipped += plan.skipped;
    await Promise.all(written.map((job) => send(deps, job)));
    at = plan.next;
  }
}

/**
 * One write: the schedule moves on from `at` and the jobs are created, together.
 * A job whose ID is still active (a job submitted by hand under that name) is left
 * out and named in `last_error`. The jobs written, or undefined when the
 * schedule's condition refused the write.
 */
async function write(
  deps: EvaluateDeps,
  schedule: Pick<ScheduleItem, 'schedule_id' | 'next_at'>,
  jobs: JobItem[],
  next: number,
  skipped: number,
  error: string | undefined,
): Promise<JobItem[] | undefined> {
  let pending = jobs;
  let problem = error;
  for (;;) {
    const last = pending.at(-1);
    const change: ScheduleAdvance = {
      next,
      skipped,
      ...(last ? { lastTick: { tick: last.scheduled_for!, jobId: last.job_id } } : {}),
      ...(problem !== undefined ? { error: problem } : {}),
    };
    if (pending.length === 0) return (await deps.schedules.advance(schedule, change)) ? [] : undefined;
    const out = await deps.store.createWith(pending, advanceUpdate(schedule, change));
    if (out === 'written') return pending;
    if (out.otherRefused) return undefined;
    const taken = pending[out.jobRefused!]!;
    problem = `tick ${taken.scheduled_for} made no job: job "${wireId(taken.job_id)}" is still active`;
    pending = pending.filter((j) => j !== taken);
  }
}

/** The job of one tick: the schedule's request checked against today's task and config, its ID `<schedule_id>:<yyyymmddhhmm>`. */
function tickJob(deps: EvaluateDeps, schedule: ScheduleItem, tick: number): JobItem {
  const task = deps.tasks.get(schedule.task);
  if (!task) throw new SqlJobberError(`task "${schedule.task}" no longer exists`, { code: 'task_not_found' });
  const req = parseJobRequest(JSON.parse(schedule.request), task, deps.config);
  const caller: Caller = {
    tenant: schedule.tenant ?? DEFAULT_TENANT,
    operator: false,
    claims: schedule.claims === undefined ? {} : (JSON.parse(schedule.claims) as Record<string, unknown>),
  };
  const jobId = `${wireId(schedule.schedule_id)}:${tickStamp(tick)}`;
  const item = ownedJob(newJobItem(task, req, jobId), task, caller, deps.config);
  // On a queue with admission (lib/jobs/admission.ts) it waits to join its tenant's waiting list, as a job with an
  // ETA does: its message brings it in (counted then, never refused: a tick has no caller to answer 429 to).
  const queue = lookup(deps.config.queues, item.queue);
  const admission = queue && admissionOn(queue) ? { admission: true } : {};
  return { ...item, ...admission, schedule_id: schedule.schedule_id, scheduled_for: new Date(tick).toISOString() };
}

async function send(deps: EvaluateDeps, job: JobItem): Promise<void> {
  try {
    const reuse = job.max_age === undefined ? {} : { max_age: job.max_age };
    await deps.queue.send(job.queue, { job_id: job.job_id, run_id: job.run_id, queue: job.queue, attempt: 0, ...reuse });
  } catch (err) {
    // The job is recorded and waiting: the sweeper sends its message again once it is overdue.
    deps.log.warn('a scheduled job was recorded but its message was not sent; the sweeper will resend it', { job_id: job.job_id, error: (err as Error).message });
  }
}
