import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import type { Config } from '../config/types.js';
import { dialectFor } from '../db/dialects.js';
import { InvalidRequestError } from '../errors.js';
import { lookup } from '../config/lookup.js';
import { MAX_ARG_BYTES, MAX_ARGS, MAX_JOB_ARGS_BYTES } from '../limits.js';
import { quoteInput } from '../quoteInput.js';
import { argsIssueMessages, argsRequired, taskArgsSchema, type TypedTask } from '../tasks/params/taskArgsSchema.js';
import type { JobArg } from '../tasks/params/types.js';
import type { Task } from '../tasks/types.js';
import { JOB_ZERO_VALUES, dropGoZeroValues } from './dropGoZeroValues.js';
import { IDENTIFIER_LIMIT, MAX_JOB_ID_LENGTH, newJobIdProblem } from './jobId.js';
import { parseEta } from './parseEta.js';
import { DEFAULT_PART_ROWS, EXPORT_COMPRESSIONS, EXPORT_FORMATS, MAX_PART_ROWS, MIN_PART_ROWS, type ExportOptions } from '../export/exportOptions.js';

export { JOB_ID_PATTERN } from './jobId.js';
export const MAX_RETRIES = 100;
/** Result reuse looks back at most a week. */
export const MAX_MAX_AGE = 604_800;
/** Priorities run from 0 (the default) to 9; higher first, within a tenant (lib/lifecycle/admitJobs.ts). */
export const MAX_PRIORITY = 9;

/** The longest job ID whose results table name fits every results database's pattern. */
export function maxJobIdLength(config: Config): number {
  const longest = Math.max(0, ...Object.values(config.results).map((r) => r.resultsTable.length - 2));
  return Math.min(IDENTIFIER_LIMIT - longest, MAX_JOB_ID_LENGTH);
}

const arg = z.union([z.string(), z.number().finite().transform(String), z.boolean().transform(String)], {
  error: 'args: each argument must be a string, a number or a boolean',
});
const count = (what: string, max: number) =>
  z
    .number({ error: `${what}: expected a whole number` })
    .int({ error: `${what}: expected a whole number` })
    .min(0, { error: `${what}: must not be negative` })
    .max(max, { error: `${what}: must be at most ${max}` });

/** A job's `export` option: where its rows go in S3, in which format (lib/export). */
export const exportBody = z.strictObject(
  {
    format: z.enum(EXPORT_FORMATS, { error: 'export.format: expected "csv", "jsonl" or "parquet"' }),
    compression: z.enum(EXPORT_COMPRESSIONS, { error: 'export.compression: expected "gzip" or "none"' }).optional(),
    part_rows: count('export.part_rows', MAX_PART_ROWS).min(MIN_PART_ROWS, { error: `export.part_rows: must be at least ${MIN_PART_ROWS}` }).optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys'
        ? `export: unknown field(s): ${iss.keys.map((k) => quoteInput(k)).join(', ')}`
        : 'export: expected an object such as {"format": "csv", "compression": "gzip"}',
  },
);

/** The body of a job request (POST /tasks/{taskName}/jobs, and each of a group's jobs); the OpenAPI document is generated from it. */
export const jobBody = z.strictObject(
  {
    job_id: z.string({ error: 'job_id: expected a string' }).optional(),
    task: z.string({ error: 'task: expected a string' }).optional(),
    queue: z.string({ error: 'queue: expected a string' }).optional(),
    eta: z.string({ error: 'eta: expected a string "yyyy-mm-dd hh:mm:ss"' }).nullable().optional(),
    retries: count('retries', MAX_RETRIES).optional(),
    // Its upper bound is the config's max_job_ttl, checked below.
    ttl: count('ttl', Number.MAX_SAFE_INTEGER).optional(),
    // A task with declared parameters (lib/tasks/params) has its own args: taskJobBody below.
    args: z.array(arg, { error: 'args: expected a list of strings' }).nullable().optional(),
    db: z.string({ error: 'db: expected a string' }).optional(),
    max_age: count('max_age', MAX_MAX_AGE).min(1, { error: 'max_age: must be at least 1 second' }).optional(),
    priority: count('priority', MAX_PRIORITY).optional(),
    export: exportBody.optional(),
    results: z.boolean({ error: 'results: expected true or false (false: no results table, only the export)' }).optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.map((k) => quoteInput(k)).join(', ')}` : 'body: expected a JSON object',
  },
);

export type JobBody = z.input<typeof jobBody>;

const typedBodies = new WeakMap<object, z.ZodType>();

/**
 * The body of a job request for a task with declared parameters: `jobBody` with
 * the task's own `args` (lib/tasks/params/taskArgsSchema.ts), required when a
 * parameter is. The OpenAPI document gives each such task this schema.
 */
export function taskJobBody(task: TypedTask): z.ZodType {
  let schema = typedBodies.get(task);
  if (!schema) {
    const args = taskArgsSchema(task);
    schema = jobBody.extend({ args: argsRequired(task) ? args : args.nullable().optional() });
    typedBodies.set(task, schema);
  }
  return schema;
}

/** A validated job request: every field checked against its task and the config. */
export interface JobRequest {
  job_id?: string;
  queue: string;
  eta: string | null;
  /** Epoch ms of the ETA, when one was given. */
  etaMs?: number;
  retries: number;
  ttl: number;
  /** The positional arguments; for a task with parameters, their canonical values in declaration order (null: NULL). */
  args: JobArg[];
  db?: string;
  /** Seconds: reuse an identical job's result at most this old, or join one in flight (lib/reuse). */
  max_age?: number;
  /** 0..9, higher first within its tenant on a queue with admission; absent: 0. */
  priority?: number;
  /** Where the rows are exported (the request's `export`, else the task's `export` tag); lib/export. */
  export?: ExportOptions;
  /** `"results": false`: no results table, the rows go only to the export. */
  noResults?: true;
}

/** A lone UTF-16 surrogate: JSON can carry one, but it is not text, and no database stores it as sent. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Validates one job request for `task`; throws InvalidRequestError naming the field. */
export function parseJobRequest(body: unknown, task: Task, config: Config, prefix = ''): JobRequest {
  const fail = (msg: string): never => {
    throw new InvalidRequestError(prefix + msg);
  };
  // No body is an empty request; a JSON null is a body that is not an object.
  // dungbeetle's Go client sends unset fields as zero values: they mean "not given".
  const input = body === undefined ? {} : dropGoZeroValues(body, JOB_ZERO_VALUES);
  // Counted before the schema looks at each one.
  const rawArgs = (input as { args?: unknown } | null)?.args;
  if (Array.isArray(rawArgs) && rawArgs.length > MAX_ARGS) fail(`args: at most ${MAX_ARGS} arguments (got ${rawArgs.length})`);
  const typed = task.params ? (task as TypedTask) : undefined;
  const parsed = (typed ? taskJobBody(typed) : jobBody).safeParse(input) as z.ZodSafeParseResult<Omit<z.output<typeof jobBody>, 'args'> & { args?: JobArg[] | null }>;
  if (!parsed.success) {
    const where = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    const messages = (i: z.core.$ZodIssue) => (typed && i.path[0] === 'args' ? argsIssueMessages(i, rawArgs, typed) : [where(i) + i.message]);
    fail(parsed.error.issues.flatMap(messages).join('; '));
  }
  const b = parsed.data!;
  if (b.task !== undefined && b.task !== task.name) fail(`task: ${quoteInput(b.task)} does not match the task in the path "${task.name}"`);
  if (b.job_id !== undefined) {
    const problem = newJobIdProblem(b.job_id, maxJobIdLength(config));
    if (problem) fail(`job_id: ${problem}`);
  }
  const queue = b.queue ?? task.queue;
  if (!lookup(config.queues, queue)) fail(`queue: unknown queue ${quoteInput(queue)} (configured: ${Object.keys(config.queues).join(', ')})`);
  if (b.db !== undefined && !task.dbs.includes(b.db)) fail(`db: ${quoteInput(b.db)} is not one of task "${task.name}"'s dbs (${task.dbs.join(', ')})`);
  const args = (b.args ?? (typed ? (taskArgsSchema(typed).parse({}) as JobArg[]) : [])) as JobArg[];
  if (args.length !== task.argCount) {
    fail(`args: task "${task.name}" takes ${task.argCount} argument(s), got ${args.length}`);
  }
  let argBytes = 0;
  const label = (i: number) => (typed ? `args.${typed.params[i]!.name}` : `args[${i}]`);
  for (const [i, a] of args.entries()) {
    if (a === null) continue;
    const bytes = Buffer.byteLength(a);
    if (bytes > MAX_ARG_BYTES) fail(`${label(i)}: at most ${MAX_ARG_BYTES} bytes (got ${bytes})`);
    if (LONE_SURROGATE.test(a)) fail(`${label(i)}: not valid Unicode text (it holds a lone surrogate)`);
    // What the task's database cannot take (NUL in PostgreSQL text) is refused here rather than failing the job later.
    const problem = task.dialect === undefined ? undefined : dialectFor(task.dialect).argumentProblem(a);
    if (problem !== undefined) fail(`${label(i)}: ${problem}`);
    argBytes += bytes;
  }
  if (argBytes > MAX_JOB_ARGS_BYTES) fail(`args: at most ${MAX_JOB_ARGS_BYTES} bytes all together (got ${argBytes})`);
  const eta = b.eta ?? null;
  let etaMs: number | undefined;
  try {
    etaMs = eta === null ? undefined : parseEta(eta);
  } catch (err) {
    fail((err as Error).message);
  }
  const exportOptions = b.export
    ? { format: b.export.format, compression: b.export.compression ?? 'gzip', part_rows: b.export.part_rows ?? DEFAULT_PART_ROWS }
    : task.export;
  if (exportOptions && !config.export) fail('export: this service has no export bucket; set [export] bucket in config.toml');
  if (b.results === false && !exportOptions) fail('results: false needs an "export" (the rows must go somewhere)');
  if (exportOptions && b.max_age !== undefined) fail('max_age: a job that exports runs its query (an earlier result is not reused for an export)');
  if (b.ttl === 0) fail('ttl: must be at least 1 second');
  if (b.ttl !== undefined && b.ttl > config.app.maxJobTtl) fail(`ttl: must be at most ${config.app.maxJobTtl} seconds ([app] max_job_ttl)`);
  return {
    ...(b.job_id !== undefined ? { job_id: b.job_id } : {}),
    queue,
    eta,
    ...(etaMs !== undefined ? { etaMs } : {}),
    retries: b.retries ?? 0,
    ttl: b.ttl ?? config.app.defaultJobTtl,
    args,
    ...(b.db !== undefined ? { db: b.db } : {}),
    ...(b.max_age !== undefined ? { max_age: b.max_age } : {}),
    ...(b.priority !== undefined ? { priority: b.priority } : {}),
    ...(exportOptions ? { export: exportOptions } : {}),
    ...(b.results === false ? { noResults: true as const } : {}),
  };
}
