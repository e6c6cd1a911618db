import * as z from 'zod';
import { ERROR_CODES, WIRE_ERROR_CODES, type WireErrorCode } from '../errorCodes.js';
import { JOB_STATES } from '../jobs/types.js';
import { MAX_WARNING_CHARS, MAX_WARNINGS } from '../limits.js';
import { paramSummary } from '../tasks/params/describeParam.js';

/**
 * The answers of the HTTP API as zod schemas: the OpenAPI document is generated
 * from them, and the end-to-end tests parse real answers with them, so a field
 * added to or dropped from an answer without its schema fails a test.
 */

const jobState = z.enum(JOB_STATES);
const timestamp = z.string().describe('ISO 8601, UTC');
const warnings = z
  .array(z.string())
  .describe(
    `values the results database could not hold, stored as NULL (NaN or ±Infinity in a MySQL DOUBLE): one line per column and reason; at most ${MAX_WARNINGS} lines of at most ${MAX_WARNING_CHARS} characters; empty when none`,
  );

export const taskSummary = z.object({
  name: z.string(),
  queue: z.string(),
  dbs: z.array(z.string()),
  results: z.array(z.string()),
  raw: z.boolean(),
  args: z.int().describe('the number of positional arguments'),
  params: z.array(paramSummary).optional().describe("the task's declared parameters, in order; absent: positional string arguments"),
  timeout: z.int().optional().describe('statement timeout in seconds, when the task sets one'),
  sql: z.string().optional().describe('the query as written in the task file; operators only'),
  guardrails: z
    .object({
      max_rows: z.int().min(1).optional().describe('the most rows its results table may get'),
      max_result_bytes: z.int().min(1).optional().describe('no row starts once more than this many bytes were written'),
      max_cost: z.number().optional().describe("the most the planner's estimate may be (PostgreSQL: EXPLAIN total cost; MySQL/MariaDB: estimated rows)"),
      on_limit: z.enum(['fail', 'truncate']).describe('past max_rows or max_result_bytes: FAILURE with no table (fail), or SUCCESS with the rows before the limit (truncate)'),
    })
    .optional()
    .describe("the task's guardrails: its tags over its queue's and [app]'s defaults; absent keys are not set"),
});

export const dryRun = z.object({
  task: z.string(),
  db: z.string().describe('the source database the job would run on (its `db`, or one of the task\'s picked as a job picks it)'),
  results_db: z.string().describe('the results database whose column types are shown'),
  columns: z
    .array(
      z.object({
        name: z.string().describe('the column name in the results table (duplicates and empty names made unique, as a run makes them)'),
        type: z.string().describe('its portable type, as GET /jobs/{jobID}/results names it (BIGINT, DECIMAL, TEXT, JSON...)'),
        sql_type: z.string().describe('the SQL type the results table gets on the results database'),
      }),
    )
    .describe("the results table's columns after `_row`, in order"),
  estimate: z.object({
    rows: z.number().nullable().describe("the planner's row estimate; null when it gave none"),
    cost: z.number().nullable().describe('what max_cost is compared with; null when the plan gave none'),
    cost_is: z.string().describe('what cost is: PostgreSQL EXPLAIN total cost, or MySQL/MariaDB EXPLAIN estimated rows'),
  }),
  max_cost: z.number().nullable().describe("the task's max_cost; null when none"),
  over_max_cost: z.boolean().describe('a job of this request would end FAILURE without running, its estimate over max_cost'),
});

export const submittedJob = z.object({
  job_id: z.string(),
  task_name: z.string(),
  task: z.string().describe("the task again, under dungbeetle v2's name"),
  queue: z.string(),
  eta: z.string().nullable().describe('RFC 3339 (2030-01-01T09:00:00Z), which Go clients decode into time.Time'),
  retries: z.int(),
});

export const jobStatus = z.object({
  job_id: z.string(),
  run_id: z.string().describe('this submission of the job ID; GET /jobs/{jobID}/results?run= reads only its rows'),
  tenant: z.string().describe('the tenant the job belongs to (`default`: the default tenant)'),
  status: jobState,
  state: jobState.describe("the status again, under dungbeetle v2's name"),
  results: z.array(z.object({ Type: z.string(), Value: z.int() })).describe("dungbeetle's row count: [{Type: 'int64', Value: count}] once finished"),
  error: z.string(),
  count: z.int().nullable().describe('rows written'),
  task: z.string(),
  queue: z.string(),
  db: z.string(),
  results_db: z.string(),
  results_table: z.string().nullable(),
  attempt: z.int(),
  retries: z.int(),
  ttl: z.int(),
  eta: z.string().nullable(),
  priority: z.int().describe('0..9 (default 0): on a queue with admission, higher runs first within its tenant'),
  group_id: z.string().nullable(),
  schedule_id: z.string().nullable().describe('the schedule that made this job (POST /schedules); null for a job submitted by hand'),
  scheduled_for: timestamp.nullable().describe("the schedule's tick this job runs for; null for a job submitted by hand"),
  created_at: timestamp,
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  expires_at: timestamp.nullable(),
  reused_from: z.string().nullable().describe('the job whose result this one reused (max_age), without a query; null when it ran its own'),
  warnings,
  export: z
    .object({
      state: z.enum(['PENDING', 'SUCCESS', 'FAILURE']).describe('SUCCESS once every part and the manifest are written (with the job); FAILURE when the job ended otherwise'),
      format: z.enum(['csv', 'jsonl', 'parquet']),
      compression: z.enum(['gzip', 'none']),
      part_rows: z.int(),
      manifest: z.string().nullable().describe('the S3 key of manifest.json; GET /jobs/{jobID}/export answers URLs'),
      parts: z.int().nullable(),
      rows: z.int().nullable(),
      bytes: z.int().nullable(),
    })
    .nullable()
    .describe("the job's export to S3, when it asked for one"),
  truncated: z.boolean().describe('the result passed max_rows or max_result_bytes and the table holds the rows before the limit (on_limit: truncate; a warning says which)'),
  rows_written: z
    .int()
    .nullable()
    .describe('rows written to the results table so far: while STARTED, as of the last lease renewal (every 2 s), only growing; at SUCCESS, equal to count; null while waiting'),
  bytes_written: z.int().nullable().describe('bytes handed to the results database so far (as rows_written); null while waiting'),
  est_rows: z.int().nullable().describe("the source database planner's estimate of the rows (PostgreSQL EXPLAIN, MySQL/MariaDB EXPLAIN rows); null when it gave none"),
  progress: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .describe('0 while waiting; while STARTED, rows_written / est_rows held at most 0.99 (null without an estimate); 1 only at SUCCESS; null after FAILURE or CANCELLED'),
  queue_position: z
    .int()
    .min(1)
    .nullable()
    .describe(
      'a waiting job\'s place in line on its queue, an estimate (1: next to start): 1 + the waiting jobs of its queue created before it, due no later, not held in a group; counted up to 1,000 ahead (1001: further back); null when not waiting, or a group member held for a slot',
    ),
});

const presigned = z.object({ key: z.string(), url: z.string().describe('a presigned GET URL: no credentials needed until urls_expire_at') });

export const exportLinks = z.object({
  job_id: z.string(),
  run_id: z.string(),
  format: z.enum(['csv', 'jsonl', 'parquet']),
  compression: z.enum(['gzip', 'none']),
  rows: z.int().nullable(),
  bytes: z.int().nullable(),
  urls_expire_at: timestamp.describe('when the URLs stop working ([export] url_ttl from now); ask again for fresh ones'),
  manifest: presigned.describe("manifest.json: each part's key, rows, bytes and sha256, and the columns with their types"),
  parts: z.array(presigned).describe('the parts in order; a CSV header is in the first only, so the parts concatenated are the whole document'),
});

export const pendingJob = z.object({
  job_id: z.string(),
  tenant: z.string(),
  task_name: z.string(),
  task: z.string(),
  queue: z.string(),
  status: jobState,
  state: jobState,
  eta: z.string().nullable(),
  retries: z.int(),
  attempt: z.int(),
  created_at: timestamp,
});

export const cancelledJob = z.object({
  job_id: z.string(),
  status: z.enum(['CANCELLED', 'PURGED']),
  previous_status: jobState,
});

export const resultsPage = z.object({
  columns: z.array(z.object({ name: z.string(), type: z.string() })),
  rows: z
    .array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()])))
    .describe('BIGINT, DECIMAL, DATE, TIMESTAMP and TEXT as strings (full precision), BOOLEAN as true/false, DOUBLE as a number, NULL as null'),
  next_cursor: z.string().nullable(),
  count: z
    .int()
    .nullable()
    .describe('rows of the whole result; with filters or aggregates, the rows that match (the groups) when asked with `Prefer: count=exact`, else null'),
});

export const submittedGroup = z.object({
  group_id: z.string(),
  concurrency: z.int(),
  jobs: z.array(submittedJob),
});

export const groupStatus = z.object({
  group_id: z.string(),
  tenant: z.string().describe('the tenant the group belongs to (`default`: the default tenant)'),
  status: z.enum([...JOB_STATES]),
  state: z.enum([...JOB_STATES]).describe("the status again, under dungbeetle v2's name"),
  concurrency: z.int(),
  total: z.int(),
  counts: z.record(z.string(), z.int()).describe('members per status'),
  created_at: timestamp,
  jobs: z.array(
    z.object({
      job_id: z.string(),
      task: z.string().optional(),
      status: z.enum([...JOB_STATES, 'EXPIRED']),
      state: z.enum([...JOB_STATES, 'EXPIRED']),
      count: z.int().nullable(),
      error: z.string(),
      attempt: z.int().optional(),
      warnings,
    }),
  ),
});

export const cancelledGroup = z.object({
  group_id: z.string(),
  status: z.enum(['CANCELLED', 'PURGED']),
  cancelled: z.int().optional(),
  total: z.int().optional(),
});

export const recentJob = z.object({
  job_id: z.string(),
  tenant: z.string().optional().describe("the job's tenant; in operators' listings only"),
  status: jobState,
  task: z.string(),
  queue: z.string(),
  count: z.int().nullable(),
  error: z.string(),
  attempt: z.int(),
  retries: z.int(),
  eta: z.string().nullable(),
  group_id: z.string().nullable(),
  created_at: timestamp,
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  warnings,
});

export const recentJobsPage = z.object({
  jobs: z.array(recentJob),
  next_cursor: z.string().nullable().describe('pass back as cursor for the next (older) page; null when there is none'),
});

export const queueSummary = z.object({
  name: z.string(),
  concurrency: z.int(),
  timeout: z.int().describe('worker timeout, seconds'),
  waiting: z.int().describe('messages waiting (visible or delayed), as SQS counts them'),
  running: z.int().describe('messages received by a worker and not yet deleted'),
  dead_letters: z.int().describe("messages in the queue's dead-letter queue"),
});

const perBucket = <T extends z.ZodType>(value: T, what: string) => z.array(value).describe(`${what}, one per bucket`);
const msOrNull = z.number().nullable();

export const queueStats = z.object({
  window: z.enum(['1h', '1d']),
  from: z.string().describe("ISO 8601: the first bucket's start"),
  to: z.string().describe("ISO 8601: the window's end (now)"),
  bucket_seconds: z.int(),
  jobs_read: z.int().describe('job records read (jobs created in the window)'),
  truncated: z.boolean().describe('true when the read cap stopped before the window\'s start: older buckets are undercounted'),
  queues: z.array(
    z.object({
      queue: z.string(),
      t: perBucket(z.int(), "the bucket's start, epoch seconds"),
      finished: perBucket(z.int(), 'jobs that reached SUCCESS or FAILURE in the bucket'),
      failed: perBucket(z.int(), 'of those, FAILURE'),
      failure_rate: perBucket(z.number().nullable(), 'failed / finished (null: none finished)'),
      run_p50_ms: perBucket(msOrNull, 'median run time of the jobs finished in the bucket'),
      run_p95_ms: perBucket(msOrNull, '95th percentile run time'),
      wait_p50_ms: perBucket(msOrNull, 'median queue wait (due to started) of the jobs started in the bucket'),
      wait_p95_ms: perBucket(msOrNull, '95th percentile queue wait'),
      waiting: perBucket(z.int(), "jobs waiting at the bucket's end"),
      running: perBucket(z.int(), "jobs running at the bucket's end"),
    }),
  ),
});

export const scheduleStatus = z.object({
  schedule_id: z.string(),
  tenant: z.string().describe('the tenant the schedule belongs to (`default`: the default tenant)'),
  task: z.string(),
  args: z.unknown().describe("each job's args, as given"),
  job: z.record(z.string(), z.unknown()).describe("each job's options, as given"),
  cron: z.string(),
  timezone: z.string(),
  catchup: z.enum(['none', 'latest', 'all']),
  paused: z.boolean(),
  created_at: timestamp,
  next_run: timestamp.nullable().describe('the next tick that will make a job; null while paused'),
  last_run: timestamp.nullable().describe('the last tick that made a job'),
  last_job_id: z.string().nullable().describe('the job the last run made: `<schedule_id>:<yyyymmddhhmm>` (the tick, UTC)'),
  last_error: z.string().nullable().describe('why the last handled tick made no job (the task is gone, its args no longer fit); null after a tick that made one'),
  skipped: z.int().describe("ticks skipped so far by catchup after an outage"),
});

export const deletedSchedule = z.object({ schedule_id: z.string(), deleted: z.literal(true) });

/** `{"status":"success","data":...}` around an answer. */
export const success = <T extends z.ZodType>(data: T) => z.object({ status: z.literal('success'), data });

/** An error answer's `code`: the enum of WIRE_ERROR_CODES, each described. */
export const errorCode = z
  .enum(WIRE_ERROR_CODES as [WireErrorCode, ...WireErrorCode[]])
  .describe(
    `what went wrong, stable: decide on this, never on the message.\n\n${WIRE_ERROR_CODES.map((c) => `- \`${c}\` (${ERROR_CODES[c].status}): ${ERROR_CODES[c].description}`).join('\n')}`,
  );

export const errorEnvelope = z.object({
  status: z.literal('error'),
  code: errorCode,
  message: z.string().describe('what was wrong, and what to do'),
  data: z.unknown().describe('for a 409, the job or group and its status; otherwise null'),
});
