import type mysql from 'mysql2';
import type { ResultsConfig } from '../../config/types.js';
import {
  CATALOG_TABLE,
  REGISTER_LOCK_WAIT_S,
  SupersededError,
  sweepLockWait,
  TABLE_LOCK_WAIT_S,
  type CatalogEntry,
  type SweepOptions,
  type SweepResult,
} from '../port/catalog.js';
import type { DbPools } from '../port/dbPools.js';
import type { CopyOptions, ResultsTables } from '../port/engine.js';
import { oncePerPool } from '../shared/oncePerPool.js';
import { patternTableName } from '../shared/patternTableName.js';
import { assertTableName } from '../shared/assertTableName.js';
import type { ResultsColumn, ResultsPage, ResultsPageQuery } from '../port/resultsPage.js';
import { pageRows, visitPageRows } from '../shared/pageRows.js';
import { PAGE_FETCH_ROWS, PAGE_TIMEOUT_MS, pageSql, resultsColumns } from '../shared/pageSql.js';
import { mysqlPageSelect, mysqlResultsKind } from './columns.js';
import { mysqlDialect, mysqlTimedSelect, type MysqlFlavour } from './dialect.js';
import { foldSafeTableName } from './foldSafeTableName.js';
import { destroyMysqlConnection, mysqlConnection, mysqlQuery, withMysqlConnection } from './session.js';
import { mysqlControlPool, mysqlPool } from './pools.js';

const q = mysqlDialect.quoteIdent;
const CATALOG = q(CATALOG_TABLE);

async function catalog(pools: DbPools, results: ResultsConfig): Promise<mysql.Pool> {
  const { pool } = mysqlPool(pools, results);
  await oncePerPool(pool, async () => {
    // ascii_bin: table names are case-sensitive on the server, so they are here too.
    await mysqlQuery(
      pool,
      `CREATE TABLE IF NOT EXISTS ${CATALOG} (
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
      await mysqlQuery(pool, `ALTER TABLE ${CATALOG} ADD COLUMN owner VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NULL`).catch((err: unknown) => {
        // 1060 duplicate column: another first use added it.
        if ((err as { errno?: unknown }).errno !== 1060) throw err;
      });
    }
  });
  return pool;
}

/** A UTC DATETIME(6) literal (sessions run in UTC, see createMysqlPool). */
function mysqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** Named locks are server-wide: the name carries the database, and is hashed to fit 64 characters. */
const LOCK_NAME = `CONCAT('sqljobber:', MD5(CONCAT(DATABASE(), '.', ?)))`;

/**
 * Runs `fn` holding the named lock of a table's catalog entry, the one that
 * registrations and sweeps take: DDL commits on MySQL and frees row locks, so this
 * is what serialises a swap with a newer attempt's registration.
 */
export async function withMysqlCatalogLock<T>(conn: mysql.PoolConnection, table: string, waitS: number, fn: () => Promise<T>): Promise<T> {
  const [got] = await mysqlQuery<{ l: number | string | null }[]>(conn, `SELECT GET_LOCK(${LOCK_NAME}, ?) AS l`, [table, waitS]);
  if (String(got?.l) !== '1') throw new Error(`results table "${table}": its catalog entry was held for ${waitS} s`);
  try {
    return await fn();
  } finally {
    // A lock that cannot be released is freed by closing the connection.
    await mysqlQuery(conn, `SELECT RELEASE_LOCK(${LOCK_NAME})`, [table]).catch(() => destroyMysqlConnection(conn));
  }
}

/** Whether `owner` holds the table's name (call it under `withMysqlCatalogLock`). */
export async function mysqlOwnerHolds(conn: mysql.PoolConnection, table: string, owner: string): Promise<boolean> {
  const rows = await mysqlQuery<unknown[]>(conn, `SELECT 1 FROM ${CATALOG} WHERE table_name = ? AND owner = ?`, [table, owner]);
  return rows.length > 0;
}

async function register(pools: DbPools, results: ResultsConfig, entry: CatalogEntry): Promise<void> {
  const pool = await catalog(pools, results);
  await withMysqlConnection(pool, (conn) =>
    withMysqlCatalogLock(conn, entry.table, REGISTER_LOCK_WAIT_S, () =>
      mysqlQuery(
        conn,
        `INSERT INTO ${CATALOG} (table_name, job_id, expires_at, owner) VALUES (?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE job_id = VALUES(job_id), expires_at = VALUES(expires_at), owner = VALUES(owner)`,
        [entry.table, entry.jobId, mysqlTime(entry.expiresAt), entry.owner ?? null],
      ),
    ),
  );
}

async function renew(pools: DbPools, results: ResultsConfig, entry: Required<Pick<CatalogEntry, 'table' | 'owner' | 'expiresAt'>>): Promise<boolean> {
  const pool = await catalog(pools, results);
  return withMysqlConnection(pool, (conn) =>
    withMysqlCatalogLock(conn, entry.table, REGISTER_LOCK_WAIT_S, async () => {
      const out = await mysqlQuery<{ affectedRows: number }>(conn, `UPDATE ${CATALOG} SET expires_at = ? WHERE table_name = ? AND owner = ?`, [
        mysqlTime(entry.expiresAt),
        entry.table,
        entry.owner,
      ]);
      return Number(out.affectedRows) > 0;
    }),
  );
}

async function release(pools: DbPools, results: ResultsConfig, table: string, isMine: (owner: string | null) => boolean): Promise<boolean> {
  const pool = await catalog(pools, results);
  return withMysqlConnection(pool, (conn) =>
    withMysqlCatalogLock(conn, table, REGISTER_LOCK_WAIT_S, async () => {
      const rows = await mysqlQuery<{ owner: string | null }[]>(conn, `SELECT owner FROM ${CATALOG} WHERE table_name = ?`, [table]);
      if (!isMine(rows[0] ? rows[0].owner : null)) return false;
      await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(table)}`);
      await mysqlQuery(conn, `DELETE FROM ${CATALOG} WHERE table_name = ?`, [table]);
      return true;
    }),
  );
}

async function forget(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  await mysqlQuery(await catalog(pools, results), `DELETE FROM ${CATALOG} WHERE table_name = ?`, [table]);
}

async function sweep(pools: DbPools, results: ResultsConfig, now: Date, limit: number, options: SweepOptions): Promise<SweepResult> {
  const pool = await catalog(pools, results);
  const cutoff = mysqlTime(now);
  const candidates = await mysqlQuery<{ table_name: string }[]>(pool, `SELECT table_name FROM ${CATALOG} WHERE expires_at <= ? ORDER BY expires_at LIMIT ?`, [
    cutoff,
    limit,
  ]);
  if (candidates.length === 0) return { dropped: 0, skipped: [] };
  let dropped = 0;
  const skipped: string[] = [];
  // A connection that fails mid-sweep may still hold named locks: it is closed, which frees them.
  await withMysqlConnection(pool, async (conn) => {
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${sweepLockWait(options)}`);
    for (const { table_name: table } of candidates) {
      const [got] = await mysqlQuery<{ l: number | string | null }[]>(conn, `SELECT GET_LOCK(${LOCK_NAME}, 0) AS l`, [table]);
      if (String(got?.l) !== '1') continue; // another sweeper (or a registration) has it
      try {
        // Under the lock the entry cannot move; it may have moved before we took it.
        const still = await mysqlQuery<unknown[]>(conn, `SELECT 1 FROM ${CATALOG} WHERE table_name = ? AND expires_at <= ?`, [table, cutoff]);
        if (still.length === 0) continue;
        try {
          await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(table)}`);
        } catch (err) {
          // lock_wait_timeout (readers hold the table) or any other refusal: the next sweep tries again.
          skipped.push(`${table}: ${(err as Error).message}`);
          continue;
        }
        await options.afterDrop?.(table);
        await mysqlQuery(conn, `DELETE FROM ${CATALOG} WHERE table_name = ? AND expires_at <= ?`, [table, cutoff]);
        dropped++;
      } finally {
        await mysqlQuery(conn, `SELECT RELEASE_LOCK(${LOCK_NAME})`, [table]);
      }
    }
    await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
  });
  return { dropped, skipped };
}

/**
 * Drops the temporary tables (`sqljobber_tmp_*`, `sqljobber_old_*`) that a writer
 * which crashed mid-load or mid-swap left behind (DDL commits here, so nothing
 * rolls them back), once older than `olderThanS` (longer than any writer runs).
 */
async function sweepLeftovers(pools: DbPools, results: ResultsConfig, olderThanS: number): Promise<number> {
  const pool = await catalog(pools, results);
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
    await mysqlQuery(pool, `DROP TABLE IF EXISTS ${q(table)}`);
    dropped++;
  }
  return dropped;
}

async function drop(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  await withMysqlConnection(mysqlPool(pools, results).pool, async (conn) => {
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${TABLE_LOCK_WAIT_S}`);
    await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(table)}`);
    await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
  });
}

/** Whether a table of this name exists in the connection's database. */
export async function mysqlTableExists(conn: mysql.PoolConnection, table: string): Promise<boolean> {
  const rows = await mysqlQuery<unknown[]>(conn, 'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table]);
  return rows.length > 0;
}

/** DDL commits on MySQL: the copy goes to a side name first and is renamed into place. */
async function copy(pools: DbPools, results: ResultsConfig, from: string, to: string, opts: CopyOptions): Promise<number> {
  opts.signal.throwIfAborted();
  const side = `${to.slice(0, 50)}_c${Date.now().toString(36).slice(-6)}`;
  const conn = await mysqlConnection(mysqlPool(pools, results).pool);
  const kill = () => void mysqlQuery(mysqlControlPool(pools, results), `KILL QUERY ${Number(conn.threadId)}`).catch(() => undefined);
  opts.signal.addEventListener('abort', kill, { once: true });
  try {
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${TABLE_LOCK_WAIT_S}`);
    await mysqlQuery(conn, `CREATE TABLE ${q(side)} LIKE ${q(from)}`);
    const out = await mysqlQuery<{ affectedRows: number }>(conn, `INSERT INTO ${q(side)} SELECT * FROM ${q(from)}`);
    // Swapped in under the entry's lock, only while this attempt holds the name (DDL commits here: no row lock lasts).
    await withMysqlCatalogLock(conn, to, REGISTER_LOCK_WAIT_S, async () => {
      opts.signal.throwIfAborted();
      if (!(await mysqlOwnerHolds(conn, to, opts.owner))) throw new SupersededError(to);
      if (await mysqlTableExists(conn, to)) {
        const old = `${to.slice(0, 50)}_o${Date.now().toString(36).slice(-6)}`;
        await mysqlQuery(conn, `RENAME TABLE ${q(to)} TO ${q(old)}, ${q(side)} TO ${q(to)}`);
        await mysqlQuery(conn, `DROP TABLE ${q(old)}`);
      } else {
        await mysqlQuery(conn, `RENAME TABLE ${q(side)} TO ${q(to)}`);
      }
    });
    await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
    opts.signal.removeEventListener('abort', kill);
    conn.release();
    return out.affectedRows;
  } catch (err) {
    opts.signal.removeEventListener('abort', kill);
    await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(side)}`).catch(() => undefined);
    destroyMysqlConnection(conn);
    throw err;
  }
}

/** A results table's columns, and those of them that are BIT (read as numbers). */
export async function pageColumns(pool: mysql.Pool, table: string, flavour: MysqlFlavour): Promise<{ columns?: ResultsColumn[]; bits: Set<string> }> {
  // The plain comparison lets the server open only this table's metadata; BINARY
  // makes it case-sensitive (information_schema compares case-insensitively).
  const rows = await mysqlQuery<{ name: string; type: string; columnType: string }[]>(
    pool,
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS type, COLUMN_TYPE AS columnType FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND BINARY TABLE_NAME = BINARY ? ORDER BY ORDINAL_POSITION`,
    [table, table],
  );
  // MariaDB's JSON is LONGTEXT with a column check named after the column: json_valid(`name`).
  const json = new Set<string>();
  if (flavour === 'mariadb' && rows.some((r) => r.type.toLowerCase() === 'longtext')) {
    const checks = await mysqlQuery<{ name: string; clause: string }[]>(
      pool,
      `SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? AND LEVEL = 'Column'`,
      [table],
    );
    for (const c of checks) if (c.clause === `json_valid(${q(c.name)})`) json.add(c.name);
  }
  const columns = resultsColumns(rows.map((r) => ({ name: r.name, type: json.has(r.name) ? 'JSON' : mysqlResultsKind(r.type, r.columnType) })));
  return { columns, bits: new Set(rows.filter((r) => r.type.toLowerCase() === 'bit').map((r) => r.name)) };
}

/** The server's own text for every value: no numbers, no dates. */
const serverText = (field: { string(): string | null }) => field.string();

/** A statement's rows, every value the server's text; streamed. */
export async function* mysqlRows(pool: mysql.Pool, sql: string, params: unknown[]): AsyncGenerator<(string | null)[]> {
  const conn = await mysqlConnection(pool);
  let ended = false;
  try {
    const stream = conn
      .query({
        sql,
        values: params,
        rowsAsArray: true,
        typeCast: serverText,
      } as mysql.QueryOptions)
      .stream({ highWaterMark: PAGE_FETCH_ROWS });
    for await (const row of stream) yield row as (string | null)[];
    ended = true;
  } finally {
    // A result set read only in part would still arrive on the connection, and a
    // half-closed socket could keep the server sending: close it for good.
    if (ended) conn.release();
    else destroyMysqlConnection(conn);
  }
}

/**
 * `mysqlRows` pushed: each row's fields (every value the server's text) to
 * `onRow` as they arrive; false from `onRow` ends the statement (its connection
 * is closed for good, as when `mysqlRows` is left early).
 */
async function mysqlEach(pool: mysql.Pool, sql: string, params: unknown[], onRow: (fields: (string | null)[]) => boolean): Promise<void> {
  const conn = await mysqlConnection(pool);
  let ended = false;
  try {
    await new Promise<void>((resolve, reject) => {
      let over = false;
      const query = conn.query({ sql, values: params, rowsAsArray: true, typeCast: serverText } as mysql.QueryOptions);
      query.on('result', (row: unknown) => {
        if (over) return;
        try {
          if (onRow(row as (string | null)[])) return;
          over = true;
          resolve();
        } catch (err) {
          over = true;
          reject(err);
        }
      });
      query.on('error', (err: Error) => {
        if (over) return;
        over = true;
        reject(err);
      });
      query.on('end', () => {
        if (over) return;
        over = true;
        ended = true;
        resolve();
      });
    });
  } finally {
    if (ended) conn.release();
    else destroyMysqlConnection(conn);
  }
}

async function readPage(pools: DbPools, results: ResultsConfig, query: ResultsPageQuery): Promise<ResultsPage | undefined> {
  const handle = mysqlPool(pools, results);
  const flavour = await handle.flavour();
  const { columns, bits } = await pageColumns(handle.pool, query.table, flavour);
  if (!columns) return undefined;
  const select = (c: ResultsColumn, quoted: string) => mysqlPageSelect(c, quoted, bits.has(c.name));
  const sql = mysqlTimedSelect(flavour, query.timeoutMs ?? PAGE_TIMEOUT_MS, pageSql(q, columns, query.table, '?', '?', select));
  return {
    columns,
    rows: pageRows(mysqlRows(handle.pool, sql, [query.afterRow, query.limit]), columns),
    each: (visit) => mysqlEach(handle.pool, sql, [query.afterRow, query.limit], visitPageRows(columns, visit)),
  };
}

/** The pattern's name; on a server that folds table names to lower case, one that keeps IDs differing in case apart. */
async function tableName(pools: DbPools, results: ResultsConfig, jobId: string): Promise<string> {
  const setting = await mysqlPool(pools, results).lowerCaseTableNames();
  return setting === 0 ? patternTableName(results.resultsTable, jobId) : foldSafeTableName(results.resultsTable, jobId, setting);
}

/** Results tables on MySQL/MariaDB. */
export const mysqlTables: ResultsTables = {
  tableName,
  register,
  renew,
  release,
  forget,
  sweep,
  sweepLeftovers,
  drop,
  readPage,
  copy,
};
