import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { InvalidRequestError } from '../errors.js';
import { GROUP_ZERO_VALUES, dropGoZeroValues } from '../jobs/dropGoZeroValues.js';
import { MAX_PRIORITY } from '../jobs/parseJobRequest.js';
import { MAX_GROUP_ARGS_BYTES } from '../limits.js';
import { quoteInput } from '../quoteInput.js';
import { groupIdProblem } from './groupId.js';

export const DEFAULT_GROUP_CONCURRENCY = 5;
export const MAX_GROUP_JOBS = 2000;
export const MAX_GROUP_CONCURRENCY = 1000;

/**
 * Refuses a group whose jobs' arguments together pass MAX_GROUP_ARGS_BYTES, so
 * no transaction of its members nears DynamoDB's 4 MB. Checked once every job
 * has passed its own checks, which name a single argument or job that is too big.
 */
export function checkGroupArgBytes(jobs: readonly { args: readonly (string | null)[] }[]): void {
  let bytes = 0;
  for (const job of jobs) for (const a of job.args) bytes += a === null ? 0 : Buffer.byteLength(a);
  if (bytes > MAX_GROUP_ARGS_BYTES) {
    throw new InvalidRequestError(`jobs: the args of all jobs together: at most ${MAX_GROUP_ARGS_BYTES} bytes (got ${bytes})`);
  }
}

/** The body of POST /groups; the OpenAPI document is generated from it. */
export const groupBody = z.strictObject(
  {
    group_id: z.string({ error: 'group_id: expected a string' }).optional(),
    concurrency: z
      .number({ error: 'concurrency: expected a whole number' })
      .int({ error: 'concurrency: expected a whole number' })
      .min(1, { error: 'concurrency: must be at least 1' })
      .max(MAX_GROUP_CONCURRENCY, { error: `concurrency: must be at most ${MAX_GROUP_CONCURRENCY}` })
      .optional(),
    priority: z
      .number({ error: 'priority: expected a whole number' })
      .int({ error: 'priority: expected a whole number' })
      .min(0, { error: 'priority: must not be negative' })
      .max(MAX_PRIORITY, { error: `priority: must be at most ${MAX_PRIORITY}` })
      .optional(),
    jobs: z
      .array(z.unknown(), { error: 'jobs: expected a list of jobs' })
      .min(1, { error: 'jobs: a group needs at least one job' })
      .max(MAX_GROUP_JOBS, { error: `jobs: a group holds at most ${MAX_GROUP_JOBS} jobs` }),
  },
  {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.map((k) => quoteInput(k)).join(', ')}` : 'body: expected a JSON object',
  },
);

export interface GroupRequest {
  group_id?: string;
  concurrency: number;
  /** 0..9: every member's priority (members inherit it; lib/lifecycle/admitJobs.ts). */
  priority?: number;
  /** Each job's raw body, validated against its task by the caller. */
  jobs: unknown[];
}

/** Validates a group request's own fields (the jobs are checked one by one afterwards, then checkGroupArgBytes). */
export function parseGroupRequest(body: unknown): GroupRequest {
  // No body is an empty request (refused for its missing jobs); a JSON null is a body that is not an object.
  const parsed = groupBody.safeParse(body === undefined ? {} : dropGoZeroValues(body, GROUP_ZERO_VALUES));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length && !issue.message.startsWith(String(issue.path[0])) ? `${issue.path.join('.')}: ` : '';
    throw new InvalidRequestError(where + issue.message);
  }
  const b = parsed.data;
  if (b.group_id !== undefined) {
    const problem = groupIdProblem(b.group_id);
    if (problem) throw new InvalidRequestError(`group_id: ${problem}`);
  }
  return {
    ...(b.group_id !== undefined ? { group_id: b.group_id } : {}),
    concurrency: b.concurrency ?? DEFAULT_GROUP_CONCURRENCY,
    ...(b.priority !== undefined ? { priority: b.priority } : {}),
    jobs: b.jobs,
  };
}
