import type { Config } from '../config/types.js';
import { STATS_WINDOWS, type StatsWindow } from './queueStatsQuery.js';
import type { JobStore } from '../jobs/jobStore.js';
import { RECENT_SHARDS, recentShardKey } from '../jobs/jobTable.js';
import type { JobItem } from '../jobs/types.js';

/** The most job records one answer reads (spread evenly over the recent index's shards); past it, `truncated`. */
export const STATS_MAX_JOBS = 4_000;
/** Entries per index read. */
const READ_LIMIT = 250;

/**
 * One queue's figures, bucket by bucket: parallel arrays, index i for the bucket
 * that starts at `t[i]` (epoch seconds). Times in milliseconds; a percentile or a
 * rate with nothing to measure in its bucket is null.
 */
export interface QueueSeries {
  queue: string;
  t: number[];
  /** Jobs that reached SUCCESS or FAILURE in the bucket (throughput). */
  finished: number[];
  /** Of those, FAILURE. */
  failed: number[];
  /** failed / finished. */
  failure_rate: (number | null)[];
  /** Run time (started to finished) of the jobs finished in the bucket. */
  run_p50_ms: (number | null)[];
  run_p95_ms: (number | null)[];
  /** Queue wait (due, that is created or `eta`, to started) of the jobs started in the bucket. */
  wait_p50_ms: (number | null)[];
  wait_p95_ms: (number | null)[];
  /** Jobs waiting (submitted, not started, not ended) at the bucket's end. */
  waiting: number[];
  /** Jobs running (started, not ended) at the bucket's end. */
  running: number[];
}

export interface QueueStats {
  window: StatsWindow;
  /** ISO 8601: the window's first bucket's start and the window's end (now). */
  from: string;
  to: string;
  bucket_seconds: number;
  /** Job records read, and whether the cap (STATS_MAX_JOBS) stopped the reads before the window's start. */
  jobs_read: number;
  truncated: boolean;
  queues: QueueSeries[];
}

/**
 * Per-queue figures over the last hour or day, computed from the stored job
 * records: the recent jobs index is read newest first, back to the window's start,
 * at most STATS_MAX_JOBS records. Jobs created before the window are not read, so
 * a job that waited or ran from before it is not counted in it. The same figures
 * as the deployed metrics (lib/observability/jobMetrics.ts), for a local run and
 * the console, without CloudWatch.
 */
export async function queueStats(
  deps: { config: Config; store: Pick<JobStore, 'listRecent'> },
  req: { window: StatsWindow; queue?: string; tenant?: string },
  now = Date.now(),
): Promise<QueueStats> {
  const { ms, bucketMs } = STATS_WINDOWS[req.window];
  const buckets = Math.ceil(ms / bucketMs);
  const first = Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs;
  const fromIso = new Date(first).toISOString();
  const perShard = Math.ceil(STATS_MAX_JOBS / RECENT_SHARDS);
  let truncated = false;
  const shards = await Promise.all(
    Array.from({ length: RECENT_SHARDS }, async (_, n) => {
      const items: JobItem[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await deps.store.listRecent(recentShardKey(n), {
          ...(before === undefined ? {} : { before }),
          limit: Math.min(READ_LIMIT, perShard - items.length),
          filter: { ...(req.queue === undefined ? {} : { queue: req.queue }), ...(req.tenant === undefined ? {} : { tenant: req.tenant }) },
          maxReads: 1,
          readLimit: READ_LIMIT,
        });
        items.push(...page.items.filter((j) => j.created_at >= fromIso));
        // Newest first: past the window's start, or at the end of the shard, it is read.
        if (page.next === undefined || page.next < fromIso || page.items.some((j) => j.created_at < fromIso)) return items;
        if (items.length >= perShard) {
          truncated = true;
          return items;
        }
        before = page.next;
      }
    }),
  );
  const jobs = shards.flat();
  const names = req.queue !== undefined ? [req.queue] : Object.keys(deps.config.queues).sort();
  const t = Array.from({ length: buckets }, (_, i) => (first + i * bucketMs) / 1000);
  const series = new Map<string, { s: QueueSeries; runs: number[][]; waits: number[][] }>();
  for (const queue of names) {
    const zeros = () => new Array<number>(buckets).fill(0);
    series.set(queue, {
      s: { queue, t, finished: zeros(), failed: zeros(), failure_rate: [], run_p50_ms: [], run_p95_ms: [], wait_p50_ms: [], wait_p95_ms: [], waiting: zeros(), running: zeros() },
      runs: Array.from({ length: buckets }, () => []),
      waits: Array.from({ length: buckets }, () => []),
    });
  }
  const bucketOf = (at: number) => (at >= first && at < first + buckets * bucketMs ? Math.floor((at - first) / bucketMs) : -1);
  for (const job of jobs) {
    const q = series.get(job.queue);
    if (!q) continue; // a queue no longer configured
    const created = Date.parse(job.created_at);
    const started = job.started_at ? Date.parse(job.started_at) : undefined;
    const ended = job.finished_at ? Date.parse(job.finished_at) : undefined;
    const due = Math.max(created, job.eta ? Date.parse(job.eta) : 0);
    if (ended !== undefined && (job.status === 'SUCCESS' || job.status === 'FAILURE')) {
      const b = bucketOf(ended);
      if (b >= 0) {
        q.s.finished[b]!++;
        if (job.status === 'FAILURE') q.s.failed[b]!++;
        if (started !== undefined) q.runs[b]!.push(Math.max(0, ended - started));
      }
    }
    if (started !== undefined) {
      const b = bucketOf(started);
      if (b >= 0) q.waits[b]!.push(Math.max(0, started - due));
    }
    for (let b = 0; b < buckets; b++) {
      const end = first + (b + 1) * bucketMs;
      const at = Math.min(end, now);
      if (created > at || (ended !== undefined && ended <= at)) continue;
      if (started !== undefined && started <= at) q.s.running[b]!++;
      else q.s.waiting[b]!++;
    }
  }
  for (const { s, runs, waits } of series.values()) {
    for (let b = 0; b < buckets; b++) {
      s.failure_rate.push(s.finished[b]! > 0 ? s.failed[b]! / s.finished[b]! : null);
      s.run_p50_ms.push(percentile(runs[b]!, 0.5));
      s.run_p95_ms.push(percentile(runs[b]!, 0.95));
      s.wait_p50_ms.push(percentile(waits[b]!, 0.5));
      s.wait_p95_ms.push(percentile(waits[b]!, 0.95));
    }
  }
  return {
    window: req.window,
    from: fromIso,
    to: new Date(now).toISOString(),
    bucket_seconds: bucketMs / 1000,
    jobs_read: jobs.length,
    truncated,
    queues: [...series.values()].map((q) => q.s),
  };
}

/** The nearest-rank percentile `p` (0..1) of `values`; null when there are none. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}
