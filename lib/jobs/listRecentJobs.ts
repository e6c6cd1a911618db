import { wireId } from '../identity/tenantScope.js';
import type { JobStore, RecentFilter } from './jobStore.js';
import { RECENT_SHARDS, recentShardKey } from './jobTable.js';
import { encodeRecentCursor } from './recentJobsQuery.js';
import type { JobItem } from './types.js';

/**
 * Index reads per shard for one listing page: the first of a page's worth, up to
 * two more of 200 entries when a filter skipped most. Bounds what a filter that
 * matches little costs (it then answers short pages with a cursor).
 */
export const RECENT_READS = { perShard: 3, readLimit: 200 };

/** A job as GET /jobs lists it. */
export function recentJob(job: JobItem, tenant?: string) {
  return {
    job_id: wireId(job.job_id),
    // Operators' listings name each job's tenant (the index does not carry it: see `tenants` of listRecentJobs).
    ...(tenant === undefined ? {} : { tenant }),
    status: job.status,
    task: job.task,
    queue: job.queue,
    count: job.count ?? null,
    error: job.error ?? '',
    attempt: job.attempt,
    retries: job.retries,
    eta: job.eta ?? null,
    group_id: job.group_id === undefined ? null : wireId(job.group_id),
    created_at: job.created_at,
    started_at: job.started_at ?? null,
    finished_at: job.finished_at ?? null,
    warnings: job.warnings ?? [],
  };
}

export type RecentJob = ReturnType<typeof recentJob>;

export interface RecentJobsPage {
  jobs: RecentJob[];
  /** Pass back as `cursor` for the next (older) page; null when there is none. */
  next_cursor: string | null;
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
  tenants?: (jobIds: string[]) => Promise<ReadonlyMap<string, string>>,
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
  const tenantOf = tenants ? await tenants(jobs.map((j) => j.job_id)) : undefined;
  return { jobs: jobs.map((j) => recentJob(j, tenantOf?.get(j.job_id))), next_cursor: next === undefined ? null : encodeRecentCursor(next) };
}
