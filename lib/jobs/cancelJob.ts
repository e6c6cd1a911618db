import type { Config } from '../config/types.js';
import { lookup } from '../config/lookup.js';
import { cancelQuery } from '../db/cancelQuery.js';
import type { DbPools } from '../db/createDbPools.js';
import { forgetResultsTable } from '../db/resultsCatalog.js';
import { dropResultsTable, resultsTableName } from '../db/resultsTable.js';
import { ACTIVE_STATES, type JobItem } from './types.js';
import { releaseSlot, type SlotDeps } from '../groups/groupSlots.js';
import type { Announcer } from '../notify/types.js';

export interface CancelDeps extends SlotDeps {
  config: Config;
  pools: DbPools;
  /** Completion events: the cancel is announced just before it is written (lib/notify/types.ts). */
  notify?: Announcer;
}

/**
 * Kills a running attempt's query on its source database, when the worker has said
 * where it runs. With the run's tag recorded, only while that connection still runs
 * this attempt: a record can be stale (the query ended, the worker died) and its
 * connection, or a proxy's backend, already serving another job.
 */
export async function killRunningQuery(deps: CancelDeps, job: JobItem): Promise<boolean> {
  const db = job.running_db === undefined ? undefined : lookup(deps.config.db, job.running_db);
  if (job.status !== 'STARTED' || !db || job.connection_id === undefined) return false;
  return cancelQuery(deps.pools, db, { db: db.name, type: db.type, connectionId: job.connection_id, tag: job.running_tag });
}

/**
 * DELETE /jobs/{jobID}: a waiting job becomes CANCELLED and never runs; a
 * running one becomes CANCELLED and its query is killed from here (its worker
 * also notices at its next lease renewal and kills it, whichever comes first).
 * `purge` also deletes the record and drops the results table; without it a
 * finished job is a 409.
 */
export async function cancelJob(deps: CancelDeps, jobId: string, purge = false) {
  let before: JobItem | undefined;
  if (!purge || (await deps.store.get(jobId).then((j) => j && ACTIVE_STATES.includes(j.status)))) {
    await deps.notify?.announce({ job_id: jobId }); // completion event
    before = await deps.store.cancel(jobId);
    await killRunningQuery(deps, before);
    await releaseSlot(deps, before);
  }
  if (!purge) return { job_id: jobId, status: 'CANCELLED', previous_status: before!.status };
  const old = await deps.store.purge(jobId);
  const results = lookup(deps.config.results, old.results_db);
  // A job that did not succeed has no results_table, but an attempt or an earlier run may have left one.
  const table = results && (old.results_table ?? resultsTableName(results, jobId));
  if (table && results) {
    await dropResultsTable(deps.pools, results, table);
    await forgetResultsTable(deps.pools, results, table);
  }
  return { job_id: jobId, status: 'PURGED', previous_status: (before ?? old).status };
}
