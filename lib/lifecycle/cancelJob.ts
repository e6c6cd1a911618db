import { lookup } from '../config/lookup.js';
import type { Config } from '../config/types.js';
import type { Announcer } from '../notify/types.js';
import type { DbPools } from '../db/createDbPools.js';
import { resultsDb } from '../db/resultsDb.js';
import { sourceDb } from '../db/sourceDb.js';
import { ResultsTableNameError } from '../errors.js';
import { exportObjects } from '../export/exportKeys.js';
import type { ExportStore } from '../export/exportStore.js';
import { ACTIVE_STATES, type JobItem } from '../jobs/types.js';
import { cancelRecord } from './cancelRecord.js';
import { handOverSlot } from './handOverSlot.js';
import { releaseWaiters } from './releaseWaiters.js';
import { purgeRecord } from './purgeRecord.js';
import type { JobObserver, SlotDeps } from './types.js';

export interface CancelDeps extends SlotDeps {
  config: Config;
  pools: DbPools;
  /** Completion events: the cancel is announced just before it is written (lib/notify/types.ts). */
  notify?: Announcer;
  /** Sees each job this cancels (its record as written): metrics. */
  observe?: JobObserver;
  /** The export bucket: a purge deletes the job's export (its parts and manifest); delete is all it may do there. */
  exportStore?: Pick<ExportStore, 'delete'>;
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
  return sourceDb(deps.pools, db).cancel({ db: db.name, type: db.type, connectionId: job.connection_id, tag: job.running_tag });
}

/**
 * DELETE /jobs/{jobID}: a waiting job becomes CANCELLED and never runs; a
 * running one becomes CANCELLED and its query is killed from here (its worker
 * also notices at its next lease renewal and kills it, whichever comes first).
 * The cancel is one write (with a group member's slot release), made before the
 * kill: a kill that fails (the source unreachable from here, missing rights)
 * leaves the job cancelled, its slot free, and the kill to the worker.
 * `purge` also deletes the record, drops the results table and deletes the export's
 * objects; without it a finished job is a 409.
 */
export async function cancelJob(deps: CancelDeps, jobId: string, purge = false) {
  let before: JobItem | undefined;
  if (!purge || (await deps.store.get(jobId).then((j) => j && ACTIVE_STATES.includes(j.status)))) {
    await deps.notify?.announce({ job_id: jobId }); // completion event
    const change = await cancelRecord(deps, jobId);
    before = change.before;
    deps.observe?.cancelled?.(change.after);
    await killRunningQuery(deps, before).catch((err: unknown) => {
      deps.log?.warn('could not kill a cancelled job\'s query; its worker stops it at its next lease renewal', { job_id: jobId, error: (err as Error).message });
      return false;
    });
    // The slot is already free: should handing it on fail here, the sweeper hands it on.
    // A coalesced leader's waiters run on their own now; should this fail, the sweeper resends them at their backstop.
    await releaseWaiters(deps, change.after).catch((err: unknown) =>
      deps.log?.warn('could not release the waiters of a cancelled job; the sweeper will', { job_id: jobId, error: (err as Error).message }),
    );
    await handOverSlot(deps, change.after).catch((err: unknown) =>
      deps.log?.warn('could not dispatch the next group member; the sweeper will', { job_id: jobId, error: (err as Error).message }),
    );
  }
  if (!purge) return { job_id: jobId, status: 'CANCELLED', previous_status: before!.status };
  const old = await purgeRecord(deps, jobId);
  const resultsConfig = lookup(deps.config.results, old.results_db);
  const results = resultsConfig && resultsDb(deps.pools, resultsConfig);
  // A job that did not succeed has no results_table, but an attempt or an earlier run may have left one.
  // (An ID whose name the results database cannot hold never had a table: nothing to drop.)
  const table = results && (old.results_table ?? (await results.tableName(jobId).catch(unlessNameRefused)));
  if (table && results) {
    // Only this run's table: a new run of the same ID may have claimed the name since the tombstone was written.
    await results.release(table, (owner) => owner === null || owner.startsWith(`${old.run_id}#`));
  }
  // The export's objects go with it, as the sweeper deletes them at expiry. Should this fail, they still
  // expire: the run's expiry marker stays (lib/export/exportExpiry.ts), and the bucket's lifecycle rule backs it.
  const exported = exportObjects(old.export);
  if (exported && deps.exportStore) {
    await deps.exportStore.delete([...exported.parts, exported.manifest]).catch((err: unknown) =>
      deps.log?.warn('could not delete the export of a purged job; it expires with its marker', { job_id: jobId, error: (err as Error).message }),
    );
  }
  return { job_id: jobId, status: 'PURGED', previous_status: (before ?? old).status };
}

/** A refused name means no table was ever made under it; any other failure stands. */
function unlessNameRefused(err: unknown): undefined {
  if (err instanceof ResultsTableNameError) return undefined;
  throw err;
}
