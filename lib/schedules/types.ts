/**
 * Glossary
 * - schedule: a task with its arguments and job options, run on a cron pattern in a
 *   timezone (POST /schedules). Each tick makes one job.
 * - tick: one instant the cron pattern names, in the schedule's timezone (croner's
 *   rules, daylight-saving changes included); minute resolution.
 * - next_at: the first tick the schedule has not handled yet. An evaluator that
 *   handles ticks moves it on with a conditional write, in the same transaction as
 *   the jobs it makes, so each tick makes exactly one job whatever runs at once.
 * - missed tick: one an evaluator sees more than the grace period after it was due
 *   (an outage, a paused deployment). `catchup` decides what becomes of it:
 *   `none` skips it, `latest` runs only the last missed one, `all` runs each.
 */

export const CATCHUP_RULES = ['none', 'latest', 'all'] as const;
export type Catchup = (typeof CATCHUP_RULES)[number];

/** A schedule as stored in DynamoDB (in the jobs table, `schedule#<id>`). */
export interface ScheduleItem {
  pk: string;
  /** The stored ID: scoped to its tenant (lib/identity/tenantScope.ts), as job IDs are. */
  schedule_id: string;
  /** The tenant of a schedule that is not the default tenant's. */
  tenant?: string;
  /** The creator's verified token claims as JSON, when it had any: the jobs' caller-bound parameters take them. */
  claims?: string;
  task: string;
  /** The job request each tick makes, as JSON: `args` and the job options (`job`), checked again at each tick. */
  request: string;
  cron: string;
  timezone: string;
  catchup: Catchup;
  created_at: string;
  /** The sparse schedule index's partition key (lib/jobs/jobTable.ts SCHEDULE_INDEX): a shard picked by the ID. */
  schedule_shard: string;
  /** Epoch ms of the first tick not handled yet; the schedule index's sort key. */
  next_at: number;
  /** Set while paused: no tick is handled, and resuming starts at the next tick after the resume. */
  paused?: boolean;
  /** The last tick a job was made for (ISO 8601, UTC). */
  last_tick?: string;
  /** The job made for it (stored ID). */
  last_job_id?: string;
  /** Why the last handled tick made no job (the task is gone, its args no longer fit, the job ID was taken). */
  last_error?: string;
  /** Ticks skipped by `catchup` so far. */
  skipped?: number;
}
