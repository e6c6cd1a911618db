import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import type { Config } from '../config/types.js';
import { dialectFor } from '../db/dialects.js';
import { InvalidRequestError } from '../errors.js';
import { lookup } from '../config/lookup.js';
import { MAX_ARG_BYTES, MAX_ARGS, MAX_JOB_ARGS_BYTES } from '../limits.js';
import { quoteInput } from '../quoteInput.js';
import type { Task } from '../tasks/types.js';
import { JOB_ZERO_VALUES, dropGoZeroValues } from './dropGoZeroValues.js';
import { IDENTIFIER_LIMIT, MAX_JOB_ID_LENGTH, jobIdProblem } from './jobId.js';
import { parseEta } from './parseEta.js';

export { JOB_ID_PATTERN } from './jobId.js';
export const MAX_RETRIES = 100;
/** Result reuse looks back at most a week. */
export const MAX_MAX_AGE = 604_800;

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
    args: z.array(arg, { error: 'args: expected a list of strings' }).nullable().optional(),
    db: z.string({ error: 'db: expected a string' }).optional(),
    max_age: count('max_age', MAX_MAX_AGE).min(1, { error: 'max_age: must be at least 1 second' }).optional(),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.map((k) => quoteInput(k)).join(', ')}` : 'body: expected a JSON object',
  },
);

export type JobBody = z.input<typeof jobBody>;

/** A validated job request: every field checked against its task and the config. */
export interface JobRequest {
  job_id?: string;
  queue: string;
  eta: string | null;
  /** Epoch ms of the ETA, when one was given. */
  etaMs?: number;
  retries: number;
  ttl: number;
  args: string[];
  db?: string;
  /** Seconds: reuse an identical job's result at most this old, or join one in flight (lib/reuse). */
  max_age?: number;
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
  const parsed = jobBody.safeParse(input);
  if (!parsed.success) {
    const where = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    fail(parsed.error.issues.map((i) => where(i) + i.message).join('; '));
  }
  const b = parsed.data!;
  if (b.task !== undefined && b.task !== task.name) fail(`task: ${quoteInput(b.task)} does not match the task in the path "${task.name}"`);
  if (b.job_id !== undefined) {
    const problem = jobIdProblem(b.job_id, maxJobIdLength(config));
    if (problem) fail(`job_id: ${problem}`);
  }
  const queue = b.queue ?? task.queue;
  if (!lookup(config.queues, queue)) fail(`queue: unknown queue ${quoteInput(queue)} (configured: ${Object.keys(config.queues).join(', ')})`);
  if (b.db !== undefined && !task.dbs.includes(b.db)) fail(`db: ${quoteInput(b.db)} is not one of task "${task.name}"'s dbs (${task.dbs.join(', ')})`);
  const args = b.args ?? [];
  if (args.length !== task.argCount) {
    fail(`args: task "${task.name}" takes ${task.argCount} argument(s), got ${args.length}`);
  }
  let argBytes = 0;
  for (const [i, a] of args.entries()) {
    const bytes = Buffer.byteLength(a);
    if (bytes > MAX_ARG_BYTES) fail(`args[${i}]: at most ${MAX_ARG_BYTES} bytes (got ${bytes})`);
    if (LONE_SURROGATE.test(a)) fail(`args[${i}]: not valid Unicode text (it holds a lone surrogate)`);
    // What the task's database cannot take (NUL in PostgreSQL text) is refused here rather than failing the job later.
    const problem = task.dialect === undefined ? undefined : dialectFor(task.dialect).argumentProblem(a);
    if (problem !== undefined) fail(`args[${i}]: ${problem}`);
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
  };
}
