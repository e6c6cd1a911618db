import type mysql from 'mysql2';
import type pg from 'pg';
import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { mysqlConnection, mysqlQuery } from './mysqlQuery.js';
import { assertTableName, quoteIdent } from './quoteIdent.js';

/**
 * The results catalog: a small table in each results database listing the
 * results tables it holds and when each expires. The worker registers a table
 * before writing it (with a provisional expiry) and again once the job succeeded
 * (with the job's own expiry); the sweeper drops what has expired.
 */
export const CATALOG_TABLE = 'sqljobber_catalog';

/** How long a sweeper waits for readers of a table it drops before skipping it until the next run. */
const DROP_LOCK_WAIT_S = 5;
/** How long a registration waits for a sweeper working on the same table (MySQL named lock). */
const REGISTER_LOCK_WAIT_S = 30;

const lockWait = (o: SweepOptions) => Math.max(1, Math.floor(o.lockWaitSeconds ?? DROP_LOCK_WAIT_S));

export interface CatalogEntry {
  table: string;
  jobId: string;
  expiresAt: Date;
  /**
   * The attempt that writes the table (`run_id#attempt`). Registering claims the
   * name for it: an older attempt's swap, cleanup or expiry move then leaves the
   * table alone (see `assertPgOwner`, `withMysqlCatalogLock`, `releaseResultsTable`).
   */
  owner?: string;
}

/** An attempt whose table name was claimed by a newer attempt or run: it must not swap its table in. */
export class SupersededError extends Error {
  constructor(table: string) {
    super(`results table "${table}" now belongs to a newer attempt or run of the job; this attempt's table is discarded`);
    this.name = 'SupersededError';
  }
}

/** What one sweep did: tables dropped (entries removed), and tables left for a later sweep with the reason. */
export interface SweepResult {
  dropped: number;
  skipped: string[];
}

export interface SweepOptions {
  /** Seconds a drop may wait for readers of its table before it is left for the next sweep (default 5). */
  lockWaitSeconds?: number;
  /** Called between a table's drop and the removal of its entry (tests stop a sweeper there). */
  afterDrop?: (table: string) => void | Promise<void>;
}

// One CREATE TABLE IF NOT EXISTS per pool and process, not one per call.
const ready = new WeakMap<object, Promise<void>>();

function once(pool: object, create: () => Promise<void>): Promise<void> {
  let p = ready.get(pool);
  if (!p) {
    p = create().catch((err: unknown) => {
      ready.delete(pool);
      throw err;
    });
    ready.set(pool, p);
  }
  return p;
}

const PG_CATALOG = quoteIdent('postgres', CATALOG_TABLE);
const MY_CATALOG = quoteIdent('mysql', CATALOG_TABLE);

async function pgCatalog(pools: DbPools, results: ResultsConfig): Promise<pg.Pool> {
  const pool = pools.pg(results);
  await once(pool, async () => {
    try {
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${PG_CATALOG} (
           table_name TEXT PRIMARY KEY,
           job_id TEXT NOT NULL,
           expires_at TIMESTAMPTZ NOT NULL,
           created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      await pool.query(`CREATE INDEX IF NOT EXISTS sqljobber_catalog_expires_at ON ${PG_CATALOG} (expires_at)`);
      // Catalogs made before owners were recorded get the column (their entries have none).
      await pool.query(`ALTER TABLE ${PG_CATALOG} ADD COLUMN IF NOT EXISTS owner TEXT`);
    } catch (err) {
      // Two first uses at once race on the catalog's type/relation names: the other one made it.
      const code = (err as { code?: string }).code;
      if (code !== '23505' && code !== '42P07') throw err;
    }
  });
  return pool;
}

async function mysqlCatalog(pools: DbPools, results: ResultsConfig): Promise<mysql.Pool> {
  const { pool } = pools.mysql(results);
  await once(pool, async () => {
    // ascii_bin: table names are case-sensitive on the server, so they are here too.
    await mysqlQuery(
      pool,
      `CREATE TABLE IF NOT EXISTS ${MY_CATALOG} (
         table_name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
         job_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
         expires_at DATETIME(6) NOT NULL,
         created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
         owner VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NULL,
         KEY sqljobber_catalog_expires_at (expires_at)
       ) ENGINE=InnoDB`,
    );
    // Catalogs made before owners were recorded get the column (MySQL has no ADD COLUMN IF NOT EXISTS).
    const has = await mysqlQuery<unknown[]>(
      pool,
      `SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'owner'`,
      [CATALOG_TABLE],
    );
    if (has.length === 0) {
      await mysqlQuery(pool, `ALTER TABLE ${MY_CATALOG} ADD COLUMN owner VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NULL`).catch((err: unknown) => {
        // 1060 duplicate column: another first use added it.
        if ((err as { errno?: unknown }).errno !== 1060) throw err;
      });
    }
  });
  return pool;
}

/** A UTC DATETIME(6) literal for MySQL (its sessions run in UTC, see createDbPools). */
function mysqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** MySQL named locks are server-wide: the name carries the database, and is hashed to fit 64 characters. */
const MY_LOCK_NAME = `CONCAT('sqljobber:', MD5(CONCAT(DATABASE(), '.', ?)))`;

/**
 * Records (or moves) the expiry of a results table. Waits while a sweeper is
 * dropping the same table, so a table registered again (a reused job ID) is
 * never dropped by a sweep that began before.
 */
export async function registerResultsTable(pools: DbPools, results: ResultsConfig, entry: CatalogEntry): Promise<void> {
  assertTableName(entry.table);
  if (entry.table === CATALOG_TABLE) throw new Error(`"${CATALOG_TABLE}" is reserved for the results catalog`);
  if (results.type === 'postgres') {
    const pool = await pgCatalog(pools, results);
    // A sweeper holds the row locked until its drop commits; this upsert waits for it.
    await pool.query(
      `INSERT INTO ${PG_CATALOG} (table_name, job_id, expires_at, owner) VALUES ($1, $2, $3, $4)
       ON CONFLICT (table_name) DO UPDATE SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at, owner = EXCLUDED.owner`,
      [entry.table, entry.jobId, entry.expiresAt.toISOString(), entry.owner ?? null],
    );
    return;
  }
  const pool = await mysqlCatalog(pools, results);
  const conn = await mysqlConnection(pool);
  let locked = false;
  try {
    const [got] = await mysqlQuery<{ l: number | string | null }[]>(conn, `SELECT GET_LOCK(${MY_LOCK_NAME}, ?) AS l`, [entry.table, REGISTER_LOCK_WAIT_S]);
    if (String(got?.l) !== '1') throw new Error(`results table "${entry.table}": a sweeper held its catalog entry for ${REGISTER_LOCK_WAIT_S} s`);
    locked = true;
    await mysqlQuery(
      conn,
      `INSERT INTO ${MY_CATALOG} (table_name, job_id, expires_at, owner) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE job_id = VALUES(job_id), expires_at = VALUES(expires_at), owner = VALUES(owner)`,
      [entry.table, entry.jobId, mysqlTime(entry.expiresAt), entry.owner ?? null],
    );
  } finally {
    if (locked) await mysqlQuery(conn, `SELECT RELEASE_LOCK(${MY_LOCK_NAME})`, [entry.table]).catch(() => conn.destroy());
    conn.release();
  }
}

/**
 * Moves the expiry of a table only while `owner` still holds its name (a job that
 * succeeded: its table now expires with its record). False when a newer attempt
 * or run has claimed the name since: then its entry is left as it is.
 */
export async function renewResultsTable(pools: DbPools, results: ResultsConfig, entry: Required<Pick<CatalogEntry, 'table' | 'owner' | 'expiresAt'>>): Promise<boolean> {
  if (results.type === 'postgres') {
    const out = await (await pgCatalog(pools, results)).query(`UPDATE ${PG_CATALOG} SET expires_at = $3 WHERE table_name = $1 AND owner = $2`, [
      entry.table,
      entry.owner,
      entry.expiresAt.toISOString(),
    ]);
    return (out.rowCount ?? 0) > 0;
  }
  const pool = await mysqlCatalog(pools, results);
  const conn = await mysqlConnection(pool);
  try {
    return await withMysqlCatalogLock(conn, entry.table, REGISTER_LOCK_WAIT_S, async () => {
      const out = await mysqlQuery<{ affectedRows: number }>(conn, `UPDATE ${MY_CATALOG} SET expires_at = ? WHERE table_name = ? AND owner = ?`, [
        mysqlTime(entry.expiresAt),
        entry.table,
        entry.owner,
      ]);
      return Number(out.affectedRows) > 0;
    });
  } finally {
    conn.release();
  }
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
  if (results.type === 'postgres') {
    const client = await (await pgCatalog(pools, results)).connect();
    let broken = false;
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = '30s'`);
      const { rows } = await client.query<{ owner: string | null }>(`SELECT owner FROM ${PG_CATALOG} WHERE table_name = $1 FOR UPDATE`, [table]);
      const owner = rows[0] ? rows[0].owner : null;
      if (!isMine(owner)) {
        await client.query('ROLLBACK');
        return false;
      }
      await client.query(`DROP TABLE IF EXISTS ${quoteIdent('postgres', table)}`);
      await client.query(`DELETE FROM ${PG_CATALOG} WHERE table_name = $1`, [table]);
      await client.query('COMMIT');
      return true;
    } catch (err) {
      broken = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release(broken);
    }
  }
  const pool = await mysqlCatalog(pools, results);
  const conn = await mysqlConnection(pool);
  try {
    return await withMysqlCatalogLock(conn, table, REGISTER_LOCK_WAIT_S, async () => {
      const rows = await mysqlQuery<{ owner: string | null }[]>(conn, `SELECT owner FROM ${MY_CATALOG} WHERE table_name = ?`, [table]);
      if (!isMine(rows[0] ? rows[0].owner : null)) return false;
      await mysqlQuery(conn, `DROP TABLE IF EXISTS ${quoteIdent('mysql', table)}`);
      await mysqlQuery(conn, `DELETE FROM ${MY_CATALOG} WHERE table_name = ?`, [table]);
      return true;
    });
  } finally {
    conn.release();
  }
}

/**
 * Inside a PostgreSQL writer's transaction, just before its swap: holds the
 * table's catalog entry and throws SupersededError unless `owner` still holds the
 * name. A newer attempt's registration waits for this transaction, so an older
 * attempt can never swap its table in after a newer one.
 */
export async function assertPgOwner(client: pg.PoolClient, table: string, owner: string): Promise<void> {
  const { rowCount } = await client.query(`SELECT 1 FROM ${PG_CATALOG} WHERE table_name = $1 AND owner = $2 FOR UPDATE`, [table, owner]);
  if (!rowCount) throw new SupersededError(table);
}

/** Whether `owner` holds the table's name in a MySQL catalog (call it under `withMysqlCatalogLock`). */
export async function mysqlOwnerHolds(conn: mysql.PoolConnection, table: string, owner: string): Promise<boolean> {
  const rows = await mysqlQuery<unknown[]>(conn, `SELECT 1 FROM ${MY_CATALOG} WHERE table_name = ? AND owner = ?`, [table, owner]);
  return rows.length > 0;
}

/**
 * Runs `fn` holding the MySQL named lock of a table's catalog entry, the one that
 * registrations and sweeps take: DDL commits on MySQL and frees row locks, so this
 * is what serialises a swap with a newer attempt's registration.
 */
export async function withMysqlCatalogLock<T>(conn: mysql.PoolConnection, table: string, waitS: number, fn: () => Promise<T>): Promise<T> {
  const [got] = await mysqlQuery<{ l: number | string | null }[]>(conn, `SELECT GET_LOCK(${MY_LOCK_NAME}, ?) AS l`, [table, waitS]);
  if (String(got?.l) !== '1') throw new Error(`results table "${table}": its catalog entry was held for ${waitS} s`);
  try {
    return await fn();
  } finally {
    await mysqlQuery(conn, `SELECT RELEASE_LOCK(${MY_LOCK_NAME})`, [table]).catch(() => conn.destroy());
  }
}

/**
 * MySQL/MariaDB: drops the temporary tables (`sqljobber_tmp_*`, `sqljobber_old_*`)
 * that a writer which crashed mid-load or mid-swap left behind (DDL commits there,
 * so nothing rolls them back), once older than `olderThanS` (longer than any
 * writer runs). PostgreSQL writers build in one transaction and leave none.
 */
export async function sweepLeftoverTables(pools: DbPools, results: ResultsConfig, olderThanS: number): Promise<number> {
  if (results.type === 'postgres') return 0;
  const pool = await mysqlCatalog(pools, results);
  const rows = await mysqlQuery<{ TABLE_NAME: string }[]>(
    pool,
    `SELECT TABLE_NAME FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE 'sqljobber\\_tmp\\_%' OR TABLE_NAME LIKE 'sqljobber\\_old\\_%')
        AND CREATE_TIME < NOW() - INTERVAL ? SECOND`,
    [Math.floor(olderThanS)],
  );
  let dropped = 0;
  for (const { TABLE_NAME: table } of rows) {
    assertTableName(table);
    await mysqlQuery(pool, `DROP TABLE IF EXISTS ${quoteIdent('mysql', table)}`);
    dropped++;
  }
  return dropped;
}

/** Removes a table's catalog entry (the table itself was dropped by the caller: a purge). */
export async function forgetResultsTable(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  if (results.type === 'postgres') {
    await (await pgCatalog(pools, results)).query(`DELETE FROM ${PG_CATALOG} WHERE table_name = $1`, [table]);
  } else {
    await mysqlQuery(await mysqlCatalog(pools, results), `DELETE FROM ${MY_CATALOG} WHERE table_name = ?`, [table]);
  }
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
export async function sweepResultsTables(
  pools: DbPools,
  results: ResultsConfig,
  now: Date,
  limit = 100,
  options: SweepOptions = {},
): Promise<SweepResult> {
  return results.type === 'postgres' ? sweepPg(pools, results, now, limit, options) : sweepMysql(pools, results, now, limit, options);
}

async function sweepPg(pools: DbPools, results: ResultsConfig, now: Date, limit: number, options: SweepOptions): Promise<SweepResult> {
  const pool = await pgCatalog(pools, results);
  const client = await pool.connect();
  let dropped = 0;
  const skipped: string[] = [];
  let broken = false;
  try {
    // One transaction: the locked rows keep registrations of the same tables
    // waiting until the drops commit. A sweeper that dies rolls back whole.
    await client.query(`BEGIN; SET LOCAL lock_timeout = '${lockWait(options)}s'; SET LOCAL statement_timeout = '60s'`);
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM ${PG_CATALOG} WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now.toISOString(), limit],
    );
    for (const { table_name: table } of rows) {
      await client.query('SAVEPOINT sweep_one');
      try {
        await client.query(`DROP TABLE IF EXISTS ${quoteIdent('postgres', table)}`);
      } catch (err) {
        // lock_timeout (readers hold the table) or any other refusal: the next sweep tries again.
        await client.query('ROLLBACK TO SAVEPOINT sweep_one');
        skipped.push(`${table}: ${(err as Error).message}`);
        continue;
      }
      await options.afterDrop?.(table);
      await client.query(`DELETE FROM ${PG_CATALOG} WHERE table_name = $1`, [table]);
      await client.query('RELEASE SAVEPOINT sweep_one');
      dropped++;
    }
    await client.query('COMMIT');
    return { dropped, skipped };
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    if (broken) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
    } else client.release();
  }
}

async function sweepMysql(pools: DbPools, results: ResultsConfig, now: Date, limit: number, options: SweepOptions): Promise<SweepResult> {
  const pool = await mysqlCatalog(pools, results);
  const cutoff = mysqlTime(now);
  const candidates = await mysqlQuery<{ table_name: string }[]>(
    pool,
    `SELECT table_name FROM ${MY_CATALOG} WHERE expires_at <= ? ORDER BY expires_at LIMIT ?`,
    [cutoff, limit],
  );
  if (candidates.length === 0) return { dropped: 0, skipped: [] };
  const conn = await mysqlConnection(pool);
  let dropped = 0;
  const skipped: string[] = [];
  let broken = false;
  try {
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${lockWait(options)}`);
    for (const { table_name: table } of candidates) {
      const [got] = await mysqlQuery<{ l: number | string | null }[]>(conn, `SELECT GET_LOCK(${MY_LOCK_NAME}, 0) AS l`, [table]);
      if (String(got?.l) !== '1') continue; // another sweeper (or a registration) has it
      try {
        // Under the lock the entry cannot move; it may have moved before we took it.
        const still = await mysqlQuery<unknown[]>(conn, `SELECT 1 FROM ${MY_CATALOG} WHERE table_name = ? AND expires_at <= ?`, [table, cutoff]);
        if (still.length === 0) continue;
        try {
          await mysqlQuery(conn, `DROP TABLE IF EXISTS ${quoteIdent('mysql', table)}`);
        } catch (err) {
          // lock_wait_timeout (readers hold the table) or any other refusal: the next sweep tries again.
          skipped.push(`${table}: ${(err as Error).message}`);
          continue;
        }
        await options.afterDrop?.(table);
        await mysqlQuery(conn, `DELETE FROM ${MY_CATALOG} WHERE table_name = ? AND expires_at <= ?`, [table, cutoff]);
        dropped++;
      } finally {
        await mysqlQuery(conn, `SELECT RELEASE_LOCK(${MY_LOCK_NAME})`, [table]);
      }
    }
    await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
    return { dropped, skipped };
  } catch (err) {
    broken = true;
    throw err;
  } finally {
    // A connection that failed mid-sweep may still hold named locks: close it, which frees them.
    if (broken) conn.destroy();
    else conn.release();
  }
}
