import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import type { Config } from '../config/types.js';
import { InvalidRequestError } from '../errors.js';
import type { Task } from '../tasks/types.js';
import { parseEta } from './parseEta.js';

/** PostgreSQL's identifier limit (63 bytes) is the tighter of the two (MySQL: 64). */
const IDENTIFIER_LIMIT = 63;
export const JOB_ID_PATTERN = /^[A-Za-z0-9_:-]+$/;
export const MAX_RETRIES = 100;
export const MAX_TTL = 366 * 24 * 3600;

/** The longest job ID whose results table name fits every results database's pattern. */
export function maxJobIdLength(config: Config): number {
  const longest = Math.max(0, ...Object.values(config.results).map((r) => r.resultsTable.length - 2));
  return Math.min(IDENTIFIER_LIMIT - longest, 64);
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
    ttl: count('ttl', MAX_TTL).optional(),
    args: z.array(arg, { error: 'args: expected a list of strings' }).nullable().optional(),
    db: z.string({ error: 'db: expected a string' }).optional(),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.join(', ')}` : 'expected a JSON object') },
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
}

/** Validates one job request for `task`; throws InvalidRequestError naming the field. */
export function parseJobRequest(body: unknown, task: Task, config: Config, prefix = ''): JobRequest {
  const parsed = jobBody.safeParse(body ?? {});
  if (!parsed.success) {
    const where = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    throw new InvalidRequestError(prefix + parsed.error.issues.map((i) => where(i) + i.message).join('; '));
  }
  const b = parsed.data;
  const fail = (msg: string): never => {
    throw new InvalidRequestError(prefix + msg);
  };
  if (b.task !== undefined && b.task !== task.name) fail(`task: "${b.task}" does not match the task in the path "${task.name}"`);
  const maxId = maxJobIdLength(config);
  if (b.job_id !== undefined) {
    if (!JOB_ID_PATTERN.test(b.job_id)) fail(`job_id: may contain only letters, digits, "_", "-" and ":" (got ${JSON.stringify(b.job_id)})`);
    if (b.job_id.length > maxId) fail(`job_id: at most ${maxId} characters (got ${b.job_id.length})`);
  }
  const queue = b.queue ?? task.queue;
  if (!config.queues[queue]) fail(`queue: unknown queue "${queue}" (configured: ${Object.keys(config.queues).join(', ')})`);
  if (b.db !== undefined && !task.dbs.includes(b.db)) fail(`db: "${b.db}" is not one of task "${task.name}"'s dbs (${task.dbs.join(', ')})`);
  const args = b.args ?? [];
  if (args.length !== task.argCount) {
    fail(`args: task "${task.name}" takes ${task.argCount} argument(s), got ${args.length}`);
  }
  const eta = b.eta ?? null;
  let etaMs: number | undefined;
  try {
    etaMs = eta === null ? undefined : parseEta(eta);
  } catch (err) {
    fail((err as Error).message);
  }
  if (b.ttl === 0) fail('ttl: must be at least 1 second');
  return {
    ...(b.job_id !== undefined ? { job_id: b.job_id } : {}),
    queue,
    eta,
    ...(etaMs !== undefined ? { etaMs } : {}),
    retries: b.retries ?? 0,
    ttl: b.ttl ?? config.app.defaultJobTtl,
    args,
    ...(b.db !== undefined ? { db: b.db } : {}),
  };
}
