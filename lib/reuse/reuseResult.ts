import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config/types.js';
import type { DbPools } from '../db/createDbPools.js';
import { registerResultsTable } from '../db/resultsCatalog.js';
import { dropResultsTable, resultsTableName } from '../db/resultsTable.js';
import type { JobStore } from '../jobs/jobStore.js';
import type { JobItem } from '../jobs/types.js';
import type { Announcer } from '../notify/types.js';
import { copyResultsTable } from './copyResultsTable.js';

export interface ReuseResultDeps {
  config: Config;
  store: JobStore;
  pools: DbPools;
  notify?: Announcer;
  log: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Gives a claimed job a copy of its twin's results table, under its own name and
 * with its own TTL, and records it SUCCESS with `reused_from` and the count: no
 * query on the source. Undefined when the copy failed (the twin's table is gone, or
 * was dropped meanwhile): then the caller runs the query as usual.
 */
export async function reuseResult(deps: ReuseResultDeps, job: JobItem, twin: JobItem): Promise<{ after: JobItem | undefined } | undefined> {
  const results = deps.config.results[job.results_db];
  if (!results || !twin.results_table) return undefined;
  const queueTimeoutMs = (deps.config.queues[job.queue]?.timeout ?? 900) * 1000;
  let count: number;
  let table: string;
  try {
    table = await resultsTableName(deps.pools, results, job.job_id);
    // Registered first, as a run registers its table, so a copy left by a crash still expires.
    await registerResultsTable(deps.pools, results, { table, jobId: job.job_id, expiresAt: new Date(Date.now() + job.ttl * 1000 + queueTimeoutMs) });
    count = await copyResultsTable(deps.pools, results, twin.results_table, table);
  } catch (err) {
    deps.log.warn('could not copy the twin\'s results; running the query', { job_id: job.job_id, twin: twin.job_id, error: (err as Error).message });
    return undefined;
  }
  await deps.notify?.announce({ job_id: job.job_id, run_id: job.run_id, attempt: job.attempt }); // completion event
  const after = await deps.store.succeed(job, count, table, { reusedFrom: twin.job_id, warnings: twin.warnings ?? [] });
  if (!after) {
    // Cancelled meanwhile: the copy must not stay behind.
    await dropResultsTable(deps.pools, results, table);
    return { after };
  }
  {
    const expiresAt = new Date((after.expires_at ?? Math.floor(Date.now() / 1000) + job.ttl) * 1000);
    await registerResultsTable(deps.pools, results, { table, jobId: job.job_id, expiresAt }).catch((err: unknown) =>
      deps.log.warn('could not record the results expiry', { job_id: job.job_id, error: (err as Error).message }),
    );
  }
  return { after };
}
