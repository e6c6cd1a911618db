import type pg from 'pg';
import QueryStream from 'pg-query-stream';
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
import { ROW_COLUMN } from '../shared/columnNames.js';
import { oncePerPool } from '../shared/oncePerPool.js';
import { patternTableName } from '../shared/patternTableName.js';
import type { ResultsColumn, ResultsPage, ResultsPageQuery, ResultsRow } from '../port/resultsPage.js';
import { pageRows, visitPageRows } from '../shared/pageRows.js';
import { PAGE_FETCH_ROWS, PAGE_TIMEOUT_MS, pageSql, resultsColumns } from '../shared/pageSql.js';
import { pgPageSelect, pgResultsKind } from './columns.js';
import { postgresDialect } from './dialect.js';
import { PgPageQuery } from './pageQuery.js';
import { pagePrefixSql, pageRangeSql } from './pageRangeSql.js';
import { rollbackAndRelease, withPgTransaction } from './session.js';
import { pgControlPool, pgPool } from './pools.js';

const q = postgresDialect.quoteIdent;
const CATALOG = q(CATALOG_TABLE);

/** SQLSTATEs of two first uses racing on the catalog's names: unique violation (pg_type), duplicate table, column or type. */
const CATALOG_RACE = new Set(['23505', '42P07', '42701', '42710']);

async function catalog(pools: DbPools, results: ResultsConfig): Promise<pg.Pool> {
  const pool = pgPool(pools, results);
  await oncePerPool(pool, async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        await pool.query(
          `CREATE TABLE IF NOT EXISTS ${CATALOG} (
             table_name TEXT PRIMARY KEY,
             job_id TEXT NOT NULL,
             expires_at TIMESTAMPTZ NOT NULL,
             created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
             owner TEXT)`,
        );
        await pool.query(`CREATE INDEX IF NOT EXISTS sqljobber_catalog_expires_at ON ${CATALOG} (expires_at)`);
        // Catalogs made before owners were recorded get the column (their entries have none).
        await pool.query(`ALTER TABLE ${CATALOG} ADD COLUMN IF NOT EXISTS owner TEXT`);
        return;
      } catch (err) {
        // Another first use (another worker) made that part meanwhile: go through every step
        // again, so none is skipped (a skipped one left the owner column missing for a moment).
        if (attempt >= 5 || !CATALOG_RACE.has((err as { code?: string }).code ?? '')) throw err;
      }
    }
  });
  return pool;
}

/**
 * Inside a writer's transaction, just before its swap: holds the table's catalog
 * entry and throws SupersededError unless `owner` still holds the name. A newer
 * attempt's registration waits for this transaction, so an older attempt can
 * never swap its table in after a newer one.
 */
export async function assertPgOwner(client: pg.PoolClient, table: string, owner: string): Promise<void> {
  const { rowCount } = await client.query(`SELECT 1 FROM ${CATALOG} WHERE table_name = $1 AND owner = $2 FOR UPDATE`, [table, owner]);
  if (!rowCount) throw new SupersededError(table);
}

async function register(pools: DbPools, results: ResultsConfig, entry: CatalogEntry): Promise<void> {
  const pool = await catalog(pools, results);
  // A sweeper holds the row locked until its drop commits; this upsert waits for it.
  await pool.query(
    `INSERT INTO ${CATALOG} (table_name, job_id, expires_at, owner) VALUES ($1, $2, $3, $4)
     ON CONFLICT (table_name) DO UPDATE SET job_id = EXCLUDED.job_id, expires_at = EXCLUDED.expires_at, owner = EXCLUDED.owner`,
    [entry.table, entry.jobId, entry.expiresAt.toISOString(), entry.owner ?? null],
  );
}

async function renew(pools: DbPools, results: ResultsConfig, entry: Required<Pick<CatalogEntry, 'table' | 'owner' | 'expiresAt'>>): Promise<boolean> {
  const out = await (await catalog(pools, results)).query(`UPDATE ${CATALOG} SET expires_at = $3 WHERE table_name = $1 AND owner = $2`, [
    entry.table,
    entry.owner,
    entry.expiresAt.toISOString(),
  ]);
  return (out.rowCount ?? 0) > 0;
}

async function release(pools: DbPools, results: ResultsConfig, table: string, isMine: (owner: string | null) => boolean): Promise<boolean> {
  const pool = await catalog(pools, results);
  return withPgTransaction(pool, `SET LOCAL lock_timeout = '${REGISTER_LOCK_WAIT_S}s'`, async (client) => {
    const { rows } = await client.query<{ owner: string | null }>(`SELECT owner FROM ${CATALOG} WHERE table_name = $1 FOR UPDATE`, [table]);
    if (!isMine(rows[0] ? rows[0].owner : null)) return false;
    await client.query(`DROP TABLE IF EXISTS ${q(table)}`);
    await client.query(`DELETE FROM ${CATALOG} WHERE table_name = $1`, [table]);
    return true;
  });
}

async function forget(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  await (await catalog(pools, results)).query(`DELETE FROM ${CATALOG} WHERE table_name = $1`, [table]);
}

async function sweep(pools: DbPools, results: ResultsConfig, now: Date, limit: number, options: SweepOptions): Promise<SweepResult> {
  const pool = await catalog(pools, results);
  let dropped = 0;
  const skipped: string[] = [];
  // One transaction: the locked rows keep registrations of the same tables
  // waiting until the drops commit. A sweeper that dies rolls back whole.
  await withPgTransaction(pool, `SET LOCAL lock_timeout = '${sweepLockWait(options)}s'; SET LOCAL statement_timeout = '60s'`, async (client) => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM ${CATALOG} WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now.toISOString(), limit],
    );
    for (const { table_name: table } of rows) {
      await client.query('SAVEPOINT sweep_one');
      try {
        await client.query(`DROP TABLE IF EXISTS ${q(table)}`);
      } catch (err) {
        // lock_timeout (readers hold the table) or any other refusal: the next sweep tries again.
        await client.query('ROLLBACK TO SAVEPOINT sweep_one');
        skipped.push(`${table}: ${(err as Error).message}`);
        continue;
      }
      await options.afterDrop?.(table);
      await client.query(`DELETE FROM ${CATALOG} WHERE table_name = $1`, [table]);
      await client.query('RELEASE SAVEPOINT sweep_one');
      dropped++;
    }
  });
  return { dropped, skipped };
}

async function drop(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  await withPgTransaction(pgPool(pools, results), `SET LOCAL lock_timeout = ${TABLE_LOCK_WAIT_S * 1000}`, (client) => client.query(`DROP TABLE IF EXISTS ${q(table)}`));
}

async function copy(pools: DbPools, results: ResultsConfig, from: string, to: string, opts: CopyOptions): Promise<number> {
  opts.signal.throwIfAborted();
  // One transaction: readers see the old table or the whole new one. The owner's
  // entry is held from the start, so a newer attempt's registration waits for the
  // copy (which the signal bounds) and an older copy never replaces a newer table.
  return withPgTransaction(pgPool(pools, results), `SET LOCAL lock_timeout = ${TABLE_LOCK_WAIT_S * 1000}`, async (client) => {
    const pid = (client as unknown as { processID: number }).processID;
    const kill = () => void pgControlPool(pools, results).query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
    opts.signal.addEventListener('abort', kill, { once: true });
    try {
      await assertPgOwner(client, to, opts.owner);
      await client.query(`DROP TABLE IF EXISTS ${q(to)}`);
      // CREATE TABLE AS appends the rows as it reads them (it skips the free space map, as the
      // writer's COPY does), and a serial scan from the first block reads them in `_row` order:
      // the copy lies on disk in that order too, and its pages are read by their TID ranges
      // (lib/db/postgres/pageRangeSql.ts). An INSERT would put a row wherever an earlier block
      // has room for it.
      await client.query(`SET LOCAL synchronize_seqscans = off; SET LOCAL max_parallel_workers_per_gather = 0`);
      const out = await client.query(`CREATE ${results.unlogged ? 'UNLOGGED ' : ''}TABLE ${q(to)} AS SELECT * FROM ${q(from)}`);
      await client.query(`ALTER TABLE ${q(to)} ALTER COLUMN ${q(ROW_COLUMN)} SET NOT NULL`);
      // The task's indexes (lib/db/postgres/writer.ts), as the original's definitions give them.
      // A `_row` key or BRIN index of a table an earlier version wrote is not one of them.
      const { rows: indexes } = await client.query<{ method: string }>(
        `SELECT substr(d.def, length(d.head) + 1) AS method FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = tc.relnamespace JOIN pg_am a ON a.oid = ic.relam
         CROSS JOIN LATERAL (SELECT pg_get_indexdef(i.indexrelid) AS def,
           'CREATE INDEX ' || quote_ident(ic.relname) || ' ON ' || quote_ident(n.nspname) || '.' || quote_ident(tc.relname) || ' USING ' AS head) d
         WHERE i.indrelid = to_regclass($1) AND a.amname = 'btree' AND NOT i.indisunique AND starts_with(d.def, d.head)
         ORDER BY i.indexrelid`,
        [q(from)],
      );
      for (const { method } of indexes) await client.query(`CREATE INDEX ON ${q(to)} USING ${method}`);
      // A table never analysed is planned from its size alone: explore's queries on the copy need its statistics.
      await client.query(`ANALYZE ${q(to)}`);
      // A kill that came between two statements stops nothing on the server: refuse the copy here.
      opts.signal.throwIfAborted();
      return out.rowCount ?? 0;
    } finally {
      opts.signal.removeEventListener('abort', kill);
    }
  });
}

async function pageColumns(pool: pg.Pool, table: string): Promise<ResultsColumn[] | undefined> {
  const { rows } = await pool.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
     WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [q(table)],
  );
  return resultsColumns(rows.map((r) => ({ name: r.name, type: pgResultsKind(r.type) })));
}

const rawText = { getTypeParser: () => (value: string) => value };

/** A read-only transaction in the session settings that make every value's text canonical. */
const beginReadOnly = (timeoutMs: number, settings = '') =>
  `BEGIN READ ONLY;
   SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))};
   SET LOCAL DateStyle = 'ISO, YMD';
   SET LOCAL TimeZone = 'UTC';
   SET LOCAL IntervalStyle = 'postgres';
   SET LOCAL bytea_output = 'hex';
   SET LOCAL extra_float_digits = 1${settings}`;

/**
 * A page is read by its TID range (lib/db/postgres/pageRangeSql.ts): a table just written
 * has no statistics yet, and without them the planner may read a page by a (parallel)
 * full scan, or a table of an earlier version through its `_row` BRIN index's whole range.
 */
const PAGE_PLAN = `;
   SET LOCAL enable_seqscan = off;
   SET LOCAL max_parallel_workers_per_gather = 0`;

/** A read-only statement's rows, every value its text in the canonical session settings; streamed. */
export async function* pgRows(pool: pg.Pool, sql: string, params: unknown[], timeoutMs: number, settings = ''): AsyncGenerator<(string | null)[]> {
  const client = await pool.connect();
  let committed = false;
  try {
    await client.query(beginReadOnly(timeoutMs, settings));
    const stream = client.query(new QueryStream(sql, params, { rowMode: 'array', types: rawText, batchSize: PAGE_FETCH_ROWS, highWaterMark: PAGE_FETCH_ROWS }));
    // Breaking out of this loop destroys the stream, which closes the portal.
    for await (const row of stream) yield row as (string | null)[];
    await client.query('COMMIT');
    committed = true;
  } finally {
    if (committed) client.release();
    else await rollbackAndRelease(client);
  }
}

/**
 * `pgRows` pushed: each row's fields (every value its text in the canonical
 * session settings) to `onRow` as they arrive, at most `maxRows` of them (the
 * statement's LIMIT); false from `onRow` ends the statement.
 */
async function pgEach(
  pool: pg.Pool,
  sql: string,
  params: (string | null)[],
  maxRows: number,
  timeoutMs: number,
  onRow: (fields: (string | null)[]) => boolean,
  settings = '',
): Promise<void> {
  const client = await pool.connect();
  let committed = false;
  try {
    await client.query(beginReadOnly(timeoutMs, settings));
    await new Promise<void>((done, fail) => {
      client.query(new PgPageQuery(sql, params, maxRows, onRow, { done, fail }) as unknown as pg.Submittable);
    });
    await client.query('COMMIT');
    committed = true;
  } finally {
    if (committed) client.release();
    else await rollbackAndRelease(client);
  }
}

/**
 * A page of results: the rows of `_row` in (afterRow, afterRow + limit], read as a
 * range with no ORDER BY and no index, so no sort holds them back. A table written by
 * this product lies on disk in `_row` order (lib/db/postgres/writer.ts), and the range's
 * TID scan reads it in that order from the page's first block (lib/db/postgres/pageRangeSql.ts);
 * each row is checked to be the next number (`_row` has no gap), and should one come out
 * of order, or be missing, the rest of the page is read again sorted, from the last row
 * handed over. Whatever the table, each row comes once, in order.
 */
async function readPage(pools: DbPools, results: ResultsConfig, query: ResultsPageQuery): Promise<ResultsPage | undefined> {
  const pool = pgPool(pools, results);
  const found = await pageColumns(pool, query.table);
  if (!found) return undefined;
  const columns = found;
  const range = pageRangeSql(columns, query.table, pgPageSelect);
  const timeoutMs = query.timeoutMs ?? PAGE_TIMEOUT_MS;
  const { afterRow, limit } = query;
  // A follow-up read, if any, gets what is left of the page's time.
  let deadline = Infinity;
  const start = () => ((deadline = Date.now() + timeoutMs), timeoutMs);
  const rest = () => Math.max(1, deadline - Date.now());
  /**
   * What follows a range that handed over rows up to `next - 1`: nothing when the page is
   * full, or in order up to the table's last row (`query.rows`); after a row out of order,
   * the rest of the page sorted; after a short range in order, the rows it may have
   * missed, which lie before its first block.
   */
  const followUp = (next: number, disordered: boolean): { sql: string; params: string[] } | undefined => {
    const left = limit - (next - 1 - afterRow);
    if (left <= 0 || (!disordered && query.rows !== undefined && next - 1 >= query.rows)) return undefined;
    const params = [String(next - 1), String(left)];
    if (disordered) return { sql: pageSql(q, columns, query.table, '$1', '$2', pgPageSelect, '$1::int8 + $2::int8'), params };
    return { sql: pagePrefixSql(columns, query.table, pgPageSelect), params: [...params, String(afterRow)] };
  };
  async function* rows(): AsyncGenerator<ResultsRow, void, undefined> {
    let next = afterRow + 1;
    let disordered = false;
    for await (const row of pageRows(pgRows(pool, range, [afterRow, limit], start(), PAGE_PLAN), columns)) {
      if (row.row !== next) {
        disordered = true;
        break;
      }
      next++;
      yield row;
    }
    const more = followUp(next, disordered);
    if (more) yield* pageRows(pgRows(pool, more.sql, more.params, rest(), PAGE_PLAN), columns);
  }
  return {
    columns,
    rows: rows(),
    async each(visit) {
      let next = afterRow + 1;
      let disordered = false;
      let stopped = false;
      const inOrder = visitPageRows(columns, (row, fields) => {
        if (row !== next) {
          disordered = true;
          return false;
        }
        next++;
        const goOn = visit(row, fields);
        stopped = !goOn;
        return goOn;
      });
      await pgEach(pool, range, [String(afterRow), String(limit)], limit, start(), inOrder, PAGE_PLAN);
      const more = stopped ? undefined : followUp(next, disordered);
      if (more) await pgEach(pool, more.sql, more.params, Number(more.params[1]), rest(), visitPageRows(columns, visit), PAGE_PLAN);
    },
  };
}

/** Results tables on PostgreSQL. Writers build in one transaction and leave no temporary tables behind. */
export const pgTables: ResultsTables = {
  // Quoted identifiers keep their case on PostgreSQL: the pattern's name as it is.
  tableName: async (_pools, results, jobId) => patternTableName(results.resultsTable, jobId),
  register,
  renew,
  release,
  forget,
  sweep,
  sweepLeftovers: async () => 0,
  drop,
  readPage,
  copy,
};
