import * as z from 'zod';
import { JOB_STATES } from '../jobs/types.js';
import { MAX_WARNING_CHARS, MAX_WARNINGS } from '../limits.js';

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
  timeout: z.int().optional().describe('statement timeout in seconds, when the task sets one'),
  sql: z.string().describe('the query as written in the task file'),
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
  group_id: z.string().nullable(),
  created_at: timestamp,
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  expires_at: timestamp.nullable(),
  reused_from: z.string().nullable().describe('the job whose result this one reused (max_age), without a query; null when it ran its own'),
  warnings,
});

export const pendingJob = z.object({
  job_id: z.string(),
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
  count: z.int().describe('rows of the whole result'),
});

export const submittedGroup = z.object({
  group_id: z.string(),
  concurrency: z.int(),
  jobs: z.array(submittedJob),
});

export const groupStatus = z.object({
  group_id: z.string(),
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

/** `{"status":"success","data":...}` around an answer. */
export const success = <T extends z.ZodType>(data: T) => z.object({ status: z.literal('success'), data });

export const errorEnvelope = z.object({
  status: z.literal('error'),
  message: z.string().describe('what was wrong, and what to do'),
  data: z.unknown(),
});
