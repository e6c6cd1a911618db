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
         KEY sqljobber_catalog_expires_at (expires_at)
       ) ENGINE=InnoDB`,
    );
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
      `INSERT INTO ${PG_CATALOG} (table_name, job_id, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (table_name) DO UPDATE SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at`,
      [entry.table, entry.jobId, entry.expiresAt.toISOString()],
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
      `INSERT INTO ${MY_CATALOG} (table_name, job_id, expires_at) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE job_id = VALUES(job_id), expires_at = VALUES(expires_at)`,
      [entry.table, entry.jobId, mysqlTime(entry.expiresAt)],
    );
  } finally {
    if (locked) await mysqlQuery(conn, `SELECT RELEASE_LOCK(${MY_LOCK_NAME})`, [entry.table]).catch(() => conn.destroy());
    conn.release();
  }
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
