import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config/types.js';
import type { DbPools } from '../db/createDbPools.js';
import { resultsDb } from '../db/resultsDb.js';
import type { JobItem } from '../jobs/types.js';

export interface ReuseResultDeps {
  config: Config;
  pools: DbPools;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Records the claimed job SUCCESS (lib/lifecycle: the member-end write); undefined when refused (cancelled or taken back meanwhile). */
export type RecordSuccess = (count: number, table: string, extra: { reusedFrom: string; warnings: readonly string[]; truncated?: boolean }) => Promise<JobItem | undefined>;

/** The attempt a copy belongs to: it runs under that attempt's lease and within its time. */
export interface CopyAttempt {
  /** The attempt's claim on the table's name (`run_id#attempt`), as a run registers it. */
  owner: string;
  /** Aborted when the attempt lost its lease (cancelled, taken back) or its time is up: the copy is killed. */
  signal: AbortSignal;
}

/**
 * Gives a claimed job a copy of its twin's results table, under its own name and
 * with its own TTL, and records it SUCCESS with `reused_from` and the count
 * (`succeed`): no query on the source. The copy registers the name for this
 * attempt first and is swapped in only while the attempt still holds it; a copy
 * that is not recorded releases only its own table. Undefined when the copy
 * failed on its own (the twin's table is gone, or was dropped meanwhile): then
 * the caller runs the query as usual. Throws when `attempt.signal` stopped it.
 */
export async function reuseResult(deps: ReuseResultDeps, job: JobItem, twin: JobItem, attempt: CopyAttempt, succeed: RecordSuccess): Promise<{ after: JobItem | undefined } | undefined> {
  const resultsConfig = deps.config.results[job.results_db];
  if (!resultsConfig || !twin.results_table) return undefined;
  const results = resultsDb(deps.pools, resultsConfig);
  const queueTimeoutMs = (deps.config.queues[job.queue]?.timeout ?? 900) * 1000;
  const { owner, signal } = attempt;
  let count: number;
  let table: string;
  try {
    table = await results.tableName(job.job_id);
    // Registered first, as a run registers its table, so a copy left by a crash still expires.
    await results.register({ table, jobId: job.job_id, owner, expiresAt: new Date(Date.now() + job.ttl * 1000 + queueTimeoutMs) });
    count = await results.copy(twin.results_table, table, { owner, signal });
  } catch (err) {
    if (signal.aborted) {
      // Stopped (the lease was lost, or the time is up): the copy was rolled back; the name's entry goes too, if still this attempt's.
      if (table! !== undefined) await results.release(table, (o) => o === owner).catch(() => false);
      throw err;
    }
    deps.log.warn('could not copy the twin\'s results; running the query', { job_id: job.job_id, twin: twin.job_id, error: (err as Error).message });
    return undefined;
  }
  // A copy of a table cut at a guardrail is cut as well.
  const after = await succeed(count, table, { reusedFrom: twin.job_id, warnings: twin.warnings ?? [], ...(twin.truncated === true ? { truncated: true } : {}) });
  if (!after) {
    // Cancelled or taken back meanwhile: the copy must not stay behind, unless the name is a newer attempt's or run's by now.
    await results.release(table, (o) => o === owner);
    return { after };
  }
  // The table now expires with the record; should this fail, the provisional expiry stands.
  const expiresAt = new Date((after.expires_at ?? Math.floor(Date.now() / 1000) + job.ttl) * 1000);
  await results.renew({ table, owner, expiresAt }).catch((err: unknown) =>
    deps.log.warn('could not record the results expiry', { job_id: job.job_id, error: (err as Error).message }),
  );
  return { after };
}
