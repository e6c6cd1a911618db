import type { ResultsConfig } from '../config/types.js';
import { CATALOG_TABLE, type CatalogEntry, type SweepOptions, type SweepResult } from './catalog.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';
import { assertTableName } from './quoteIdent.js';

export { CATALOG_TABLE, SupersededError, type CatalogEntry, type SweepOptions, type SweepResult } from './catalog.js';

/**
 * Records (or moves) the expiry of a results table. Waits while a sweeper is
 * dropping the same table, so a table registered again (a reused job ID) is
 * never dropped by a sweep that began before.
 */
export async function registerResultsTable(pools: DbPools, results: ResultsConfig, entry: CatalogEntry): Promise<void> {
  assertTableName(entry.table);
  if (entry.table === CATALOG_TABLE) throw new Error(`"${CATALOG_TABLE}" is reserved for the results catalog`);
  await engineFor(results.type).tables.register(pools, results, entry);
}

/**
 * Moves the expiry of a table only while `owner` still holds its name (a job that
 * succeeded: its table now expires with its record). False when a newer attempt
 * or run has claimed the name since: then its entry is left as it is.
 */
export async function renewResultsTable(pools: DbPools, results: ResultsConfig, entry: Required<Pick<CatalogEntry, 'table' | 'owner' | 'expiresAt'>>): Promise<boolean> {
  assertTableName(entry.table);
  return engineFor(results.type).tables.renew(pools, results, entry);
}

/**
 * Drops a results table and removes its entry, only when its catalog owner is
 * one `isMine` accepts (`null`: an entry without owner, or none at all): an
 * attempt cleaning up after a cancel, or a purge of one run, never drops the
 * table or the entry of a newer attempt or run of a reused job ID. Holds the
 * entry (row lock, or MySQL named lock) across the drop, so a registration waits.
 * Returns whether it dropped.
 */
export async function releaseResultsTable(pools: DbPools, results: ResultsConfig, table: string, isMine: (owner: string | null) => boolean): Promise<boolean> {
  assertTableName(table);
  return engineFor(results.type).tables.release(pools, results, table, isMine);
}

/**
 * Drops the temporary tables that a writer which crashed mid-load or mid-swap
 * left behind (MySQL/MariaDB, where DDL commits), once older than `olderThanS`.
 * PostgreSQL writers build in one transaction and leave none.
 */
export async function sweepLeftoverTables(pools: DbPools, results: ResultsConfig, olderThanS: number): Promise<number> {
  return engineFor(results.type).tables.sweepLeftovers(pools, results, olderThanS);
}

/** Removes a table's catalog entry (the table itself was dropped by the caller: a purge). */
export async function forgetResultsTable(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  assertTableName(table);
  await engineFor(results.type).tables.forget(pools, results, table);
}

/**
 * Drops up to `limit` results tables that expired before `now` and removes
 * their catalog entries: `DROP TABLE IF EXISTS` first, then the entry, so a
 * sweeper that dies between the two leaves an entry whose table is gone, which
 * the next sweep finishes. Two sweepers never work on the same entry
 * (PostgreSQL: `FOR UPDATE SKIP LOCKED`; MySQL, where DDL commits and frees
 * row locks: a named lock per table, taken without waiting). A table whose
 * drop fails (e.g. it waited too long on readers) is left for the next sweep.
 */
export async function sweepResultsTables(pools: DbPools, results: ResultsConfig, now: Date, limit = 100, options: SweepOptions = {}): Promise<SweepResult> {
  return engineFor(results.type).tables.sweep(pools, results, now, limit, options);
}
