import { randomUUID } from 'node:crypto';
import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import type { Config } from '../config/types.js';
import { InvalidRequestError, SqlJobberError, TaskNotFoundError } from '../errors.js';
import { scopePrefix } from '../identity/tenantScope.js';
import { maxJobIdLength, parseJobRequest } from '../jobs/parseJobRequest.js';
import { quoteInput } from '../quoteInput.js';
import type { Task, TaskRegistry } from '../tasks/types.js';
import { scheduleIdProblem, TICK_SUFFIX_LENGTH } from './scheduleId.js';
import { cronFor, nextTick, NEVER } from './scheduleTicks.js';
import { CATCHUP_RULES, type Catchup } from './types.js';

/** Job options a schedule may not set: it names its jobs and runs them at their ticks. */
const NOT_IN_JOB: Record<string, string> = {
  job_id: "a schedule's jobs are called <schedule_id>:<yyyymmddhhmm> (the tick, UTC)",
  eta: "a schedule's jobs run at their ticks",
  task: 'the task is the schedule\'s "task"',
  args: 'put args at the top level of the schedule',
};

/** The body of POST /schedules; the OpenAPI document is generated from it. */
export const scheduleBody = z.strictObject(
  {
    schedule_id: z.string({ error: 'schedule_id: expected a string' }).optional(),
    task: z.string({ error: 'task: expected a string' }),
    args: z.unknown().optional().describe("the job's args, as POST /tasks/{taskName}/jobs takes them"),
    cron: z.string({ error: 'cron: expected a string of five fields' }).describe('five fields (minute hour day-of-month month day-of-week), croner syntax'),
    timezone: z.string({ error: 'timezone: expected an IANA timezone name' }).optional().describe('IANA name (Europe/Berlin); default UTC'),
    catchup: z.enum(CATCHUP_RULES, { error: `catchup: one of ${CATCHUP_RULES.join(', ')}` }).optional().describe('missed ticks after an outage: none (default) skips them, latest runs the last one, all runs each'),
    job: z
      .record(z.string(), z.unknown(), { error: 'job: expected an object of job options' })
      .optional()
      .describe('job options as POST /tasks/{taskName}/jobs takes them (queue, ttl, retries, max_age, ...), without job_id and eta'),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.map((k) => quoteInput(k)).join(', ')}` : 'body: expected a JSON object',
  },
);

/** A checked schedule request. */
export interface ScheduleRequest {
  /** As the caller names it (not scoped). */
  schedule_id: string;
  task: string;
  /** `args` and the job options, the body each tick's job is made from. */
  jobBody: Record<string, unknown>;
  cron: string;
  timezone: string;
  catchup: Catchup;
  /** The first tick after now. */
  next_at: number;
}

/** Whether `zone` is an IANA timezone this runtime knows. */
function knownTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Job request problems named as the schedule's fields: `args...` stays, the options are `job.<field>`. */
function asScheduleFields(message: string): string {
  return message
    .split('; ')
    .map((part) => (/^args\b/.test(part) ? part : /^[a-z_]+[.:[]/.test(part) ? `job.${part}` : `job: ${part}`))
    .join('; ');
}

/**
 * Validates POST /schedules for `tenant`: the cron pattern and timezone, the
 * task, and one job request made of `args` and `job` exactly as each tick will
 * make it. Throws InvalidRequestError naming the field (TaskNotFoundError for
 * an unknown task, answered 400 here: the task is a field of the body).
 */
export function parseScheduleRequest(body: unknown, deps: { config: Config; tasks: TaskRegistry }, tenant: string, now = Date.now()): ScheduleRequest {
  const parsed = scheduleBody.safeParse(body === undefined ? {} : body);
  if (!parsed.success) {
    const where = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    throw new InvalidRequestError(parsed.error.issues.map((i) => where(i) + i.message).join('; '));
  }
  const b = parsed.data;
  const idMax = maxJobIdLength(deps.config) - TICK_SUFFIX_LENGTH - scopePrefix(tenant).length;
  const scheduleId = b.schedule_id ?? `s-${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const idProblem = scheduleIdProblem(scheduleId, idMax);
  if (idProblem) throw new InvalidRequestError(`schedule_id: ${idProblem}`);
  const timezone = b.timezone ?? 'UTC';
  if (!knownTimezone(timezone)) throw new InvalidRequestError(`timezone: unknown timezone ${quoteInput(timezone)}; use an IANA name such as "Europe/Berlin"`);
  let next: number;
  try {
    next = nextTick(cronFor(b.cron, timezone), now);
  } catch (err) {
    throw new InvalidRequestError(`cron: ${(err as Error).message.replace(/^CronPattern: /, '')}`);
  }
  if (next === NEVER) throw new InvalidRequestError(`cron: ${quoteInput(b.cron)} never fires`);
  const task: Task | undefined = deps.tasks.get(b.task);
  if (!task) throw new InvalidRequestError(`task: ${new TaskNotFoundError(b.task).message}`);
  const job = b.job ?? {};
  for (const key of Object.keys(job)) {
    if (Object.hasOwn(NOT_IN_JOB, key)) throw new InvalidRequestError(`job.${key}: not allowed in a schedule; ${NOT_IN_JOB[key]}`);
  }
  const jobBody = { ...job, ...(b.args === undefined ? {} : { args: b.args }) };
  try {
    parseJobRequest(jobBody, task, deps.config);
  } catch (err) {
    if (err instanceof SqlJobberError && err.code === 'invalid_request') throw new InvalidRequestError(asScheduleFields(err.message));
    throw err;
  }
  return { schedule_id: scheduleId, task: task.name, jobBody, cron: b.cron, timezone, catchup: b.catchup ?? 'none', next_at: next };
}
