import * as z from 'zod';
import type { Config } from '../config/types.js';
import { InvalidRequestError } from '../errors.js';
import type { JobStore, RecentFilter } from './jobStore.js';
import { RECENT_SHARDS, recentShardKey } from './jobTable.js';
import { JOB_STATES, type JobItem } from './types.js';

export const RECENT_DEFAULT_LIMIT = 20;
export const RECENT_MAX_LIMIT = 100;
/**
 * Index reads per shard for one listing page: the first of a page's worth, up to
 * two more of 200 entries when a filter skipped most. Bounds what a filter that
 * matches little costs (it then answers short pages with a cursor).
 */
export const RECENT_READS = { perShard: 3, readLimit: 200 };
const MAX_CURSOR_CHARS = 512;

/** The query string of GET /jobs, as validated (and as the OpenAPI document describes it). */
export const recentJobsQuery = z.strictObject(
  {
    queue: z.string().min(1).max(256).optional().describe('only jobs of this queue'),
    state: z.enum(JOB_STATES).optional().describe('only jobs in this state'),
    task: z.string().min(1).max(256).optional().describe('only jobs of this task'),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, { error: `limit: expected a whole number from 1 to ${RECENT_MAX_LIMIT}` })
      .transform(Number)
      .refine((n) => n >= 1 && n <= RECENT_MAX_LIMIT, { error: `limit: expected a whole number from 1 to ${RECENT_MAX_LIMIT}` })
      .optional()
      .describe(`jobs per page, 1..${RECENT_MAX_LIMIT} (default ${RECENT_DEFAULT_LIMIT})`),
    cursor: z.string().max(MAX_CURSOR_CHARS).optional().describe('the next_cursor of the previous page, unchanged'),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown query parameter(s): ${iss.keys.join(', ')}` : undefined) },
);

export type RecentJobsQuery = z.input<typeof recentJobsQuery>;

/** A job as GET /jobs lists it. */
export function recentJob(job: JobItem) {
  return {
    job_id: job.job_id,
    status: job.status,
    task: job.task,
    queue: job.queue,
    count: job.count ?? null,
    error: job.error ?? '',
    attempt: job.attempt,
    retries: job.retries,
    eta: job.eta ?? null,
    group_id: job.group_id ?? null,
    created_at: job.created_at,
    started_at: job.started_at ?? null,
    finished_at: job.finished_at ?? null,
  };
}

export type RecentJob = ReturnType<typeof recentJob>;

export interface RecentJobsPage {
  jobs: RecentJob[];
  /** Pass back as `cursor` for the next (older) page; null when there is none. */
  next_cursor: string | null;
}

const badCursor = () =>
  new InvalidRequestError('cursor: not a cursor of this API; pass the next_cursor of the previous page unchanged, or omit it to start at the newest job');

/** The cursor is the `recent_at` key below which the next page starts (base64url JSON). */
const encodeCursor = (before: string) => Buffer.from(JSON.stringify({ b: before })).toString('base64url');

function decodeCursor(text: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw badCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const b = (value as { b?: unknown } | null)?.b;
  if (typeof b !== 'string' || b.length === 0 || Object.keys(value as object).length !== 1) throw badCursor();
  return b;
}

/** Validates GET /jobs's query string; a bad value is a 400 naming the parameter. */
export function parseRecentJobsQuery(query: Record<string, string | undefined>, config: Config) {
  const parsed = recentJobsQuery.safeParse(query);
  if (!parsed.success) {
    const at = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    throw new InvalidRequestError(parsed.error.issues.map((i) => at(i) + i.message).join('; '));
  }
  const q = parsed.data;
  if (q.queue !== undefined && !Object.hasOwn(config.queues, q.queue)) {
    throw new InvalidRequestError(`queue: unknown queue "${q.queue}" (configured: ${Object.keys(config.queues).join(', ')})`);
  }
  const filter: RecentFilter = {
    ...(q.queue !== undefined ? { queue: q.queue } : {}),
    ...(q.state !== undefined ? { status: q.state } : {}),
    ...(q.task !== undefined ? { task: q.task } : {}),
  };
  return { filter, limit: q.limit ?? RECENT_DEFAULT_LIMIT, ...(q.cursor !== undefined ? { before: decodeCursor(q.cursor) } : {}) };
}

/**
 * Recent jobs, newest first, keyset-paged over the sharded recent index: every
 * shard is read from the cursor down (in parallel), and the pages are merged.
 * Only jobs newer than every shard's unread rest are answered, so no job is
 * skipped or repeated across pages; a filter that matches little may give a
 * short page (even an empty one) that still has a next cursor.
 */
export async function listRecentJobs(
  deps: { store: Pick<JobStore, 'listRecent'> },
  req: { filter: RecentFilter; limit: number; before?: string },
  reads: { perShard: number; readLimit: number } = RECENT_READS,
): Promise<RecentJobsPage> {
  const shards = await Promise.all(
    Array.from({ length: RECENT_SHARDS }, (_, n) =>
      deps.store.listRecent(recentShardKey(n), { ...(req.before !== undefined ? { before: req.before } : {}), limit: req.limit, filter: req.filter, maxReads: reads.perShard, readLimit: reads.readLimit }),
    ),
  );
  // Every unread job of a shard sorts below its `next`; the highest such bound is the floor.
  const floor = shards.reduce<string | undefined>((max, s) => (s.next !== undefined && (max === undefined || s.next > max) ? s.next : max), undefined);
  const merged = shards
    .flatMap((s) => s.items)
    .filter((j) => j.recent_at !== undefined && (floor === undefined || j.recent_at >= floor))
    .sort((a, b) => (a.recent_at! < b.recent_at! ? 1 : a.recent_at! > b.recent_at! ? -1 : 0));
  const jobs = merged.slice(0, req.limit);
  let next: string | undefined;
  if (merged.length > req.limit) next = jobs[jobs.length - 1]!.recent_at;
  else if (floor !== undefined) next = jobs.length === req.limit ? jobs[jobs.length - 1]!.recent_at : floor;
  return { jobs: jobs.map(recentJob), next_cursor: next === undefined ? null : encodeCursor(next) };
}
