import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { InvalidRequestError } from '../errors.js';

export const DEFAULT_GROUP_CONCURRENCY = 5;
export const MAX_GROUP_JOBS = 2000;
export const MAX_GROUP_CONCURRENCY = 1000;
const GROUP_ID_PATTERN = /^[A-Za-z0-9_:-]{1,128}$/;

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
    jobs: z
      .array(z.unknown(), { error: 'jobs: expected a list of jobs' })
      .min(1, { error: 'jobs: a group needs at least one job' })
      .max(MAX_GROUP_JOBS, { error: `jobs: a group holds at most ${MAX_GROUP_JOBS} jobs` }),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown field(s): ${iss.keys.join(', ')}` : 'expected a JSON object') },
);

export interface GroupRequest {
  group_id?: string;
  concurrency: number;
  /** Each job's raw body, validated against its task by the caller. */
  jobs: unknown[];
}

/** Validates a group request's own fields (the jobs are checked one by one afterwards). */
export function parseGroupRequest(body: unknown): GroupRequest {
  const parsed = groupBody.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length && !issue.message.startsWith(String(issue.path[0])) ? `${issue.path.join('.')}: ` : '';
    throw new InvalidRequestError(where + issue.message);
  }
  const b = parsed.data;
  if (b.group_id !== undefined && !GROUP_ID_PATTERN.test(b.group_id)) {
    throw new InvalidRequestError(`group_id: 1 to 128 letters, digits, "_", "-" and ":" (got ${JSON.stringify(b.group_id)})`);
  }
  return {
    ...(b.group_id !== undefined ? { group_id: b.group_id } : {}),
    concurrency: b.concurrency ?? DEFAULT_GROUP_CONCURRENCY,
    jobs: b.jobs,
  };
}
