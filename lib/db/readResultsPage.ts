import type mysql from 'mysql2';
import type pg from 'pg';
import QueryStream from 'pg-query-stream';
import type { ResultsConfig } from '../config/types.js';
import { ROW_COLUMN } from './columnTypes.js';
import type { DbPools } from './createDbPools.js';
import { mysqlConnection, mysqlQuery } from './mysqlQuery.js';
import { assertTableName, quoteIdent } from './quoteIdent.js';
import type { ColumnType } from './types.js';

/** A results table column as a reader sees it (the `_row` column is not one). */
export interface ResultsColumn {
  name: string;
  type: ColumnType;
}

/** One row of a results table: its `_row` number and its canonical values (see `ColumnType`), in column order. */
export interface ResultsRow {
  row: number;
  values: (string | null)[];
}

export interface ResultsPageQuery {
  /** The results table (validated, quoted here). */
  table: string;
  /** Rows with `_row` greater than this (0: from the start). */
  afterRow: number;
  /** Rows at most. */
  limit: number;
  /** Server-side statement timeout; default 20 s (the HTTP functions stop at 29 s). */
  timeoutMs?: number;
}

export interface ResultsPage {
  columns: ResultsColumn[];
  /**
   * The rows in `_row` order, streamed: a connection is taken on the first
   * `next()` and given back when the rows end or the loop breaks (a `for await`
   * that breaks early ends the query), so only a window of rows is in memory.
   */
  rows: AsyncGenerator<ResultsRow, void, undefined>;
}

const DEFAULT_TIMEOUT_MS = 20_000;
/** Rows per fetch from the server: bounds memory when rows are large. */
const FETCH_ROWS = 256;

/**
 * Reads one page of a results table by keyset (`WHERE _row > $1 ORDER BY _row
 * LIMIT n`, on its primary key: no OFFSET, so every page costs the same).
 * Column types come from the table's own metadata. Values arrive as canonical
 * text, identical on both servers: BOOLEAN `1`/`0`, TIMESTAMP
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` without trailing zeros, numbers as the
 * server's exact digits. `undefined` when the table does not exist.
 */
export async function readResultsPage(pools: DbPools, results: ResultsConfig, query: ResultsPageQuery): Promise<ResultsPage | undefined> {
  assertTableName(query.table);
  const columns = results.type === 'postgres' ? await pgColumns(pools.pg(results), query.table) : await mysqlColumns(pools.mysql(results).pool, query.table);
  if (!columns) return undefined;
  const q = (name: string) => quoteIdent(results.type, name);
  const select = [ROW_COLUMN, ...columns.map((c) => c.name)].map(q).join(', ');
  const [after, limit] = results.type === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  const from = `FROM ${q(query.table)} WHERE ${q(ROW_COLUMN)} > ${after} ORDER BY ${q(ROW_COLUMN)} LIMIT ${limit}`;
  const params = [query.afterRow, query.limit];
  const timeoutMs = query.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const canonical = canonicalizer(columns);
  const raw =
    results.type === 'postgres'
      ? pgRows(pools.pg(results), `SELECT ${select} ${from}`, params, timeoutMs)
      : mysqlRows(pools, results, select, from, params, timeoutMs);
  return { columns, rows: rowsOf(raw, canonical) };
}

/** Whether a query failed because its table does not exist (dropped between two reads). */
export function isMissingTableError(err: unknown): boolean {
  const e = err as { code?: string; errno?: number };
  return e?.code === '42P01' || e?.errno === 1146;
}

async function* rowsOf(raw: AsyncGenerator<(string | null)[]>, canonical: (values: (string | null)[]) => void): AsyncGenerator<ResultsRow, void, undefined> {
  for await (const fields of raw) {
    const values = fields.slice(1);
    canonical(values);
    yield { row: Number(fields[0]), values };
  }
}

function columnType(dataType: string): ColumnType {
  const t = dataType.toLowerCase();
  if (t === 'bigint' || t === 'integer' || t === 'smallint' || t === 'int') return 'BIGINT';
  if (t === 'numeric' || t === 'decimal') return 'DECIMAL';
  if (t === 'double precision' || t === 'double' || t === 'real' || t === 'float') return 'DOUBLE';
  if (t.startsWith('timestamp') || t === 'datetime') return 'TIMESTAMP';
  if (t === 'date') return 'DATE';
  // MySQL's BOOLEAN is TINYINT(1); results tables use TINYINT for nothing else (integers are BIGINT).
  if (t === 'boolean' || t === 'tinyint') return 'BOOLEAN';
  return 'TEXT';
}

function withoutRowColumn(rows: { name: string; type: string }[]): ResultsColumn[] | undefined {
  if (rows.length === 0) return undefined;
  if (rows[0]?.name !== ROW_COLUMN) throw new Error(`"${ROW_COLUMN}" is not the first column: not a results table`);
  return rows.slice(1).map((r) => ({ name: r.name, type: columnType(r.type) }));
}

async function pgColumns(pool: pg.Pool, table: string): Promise<ResultsColumn[] | undefined> {
  const { rows } = await pool.query<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
     WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [quoteIdent('postgres', table)],
  );
  return withoutRowColumn(rows);
}

async function mysqlColumns(pool: mysql.Pool, table: string): Promise<ResultsColumn[] | undefined> {
  // The plain comparison lets the server open only this table's metadata; BINARY
  // makes it case-sensitive (information_schema compares case-insensitively).
  const rows = await mysqlQuery<{ name: string; type: string }[]>(
    pool,
    `SELECT COLUMN_NAME AS name, DATA_TYPE AS type FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND BINARY TABLE_NAME = BINARY ? ORDER BY ORDINAL_POSITION`,
    [table, table],
  );
  return withoutRowColumn(rows);
}

/** Makes BOOLEAN `1`/`0` and TIMESTAMP without trailing fractional zeros on both servers. */
function canonicalizer(columns: ResultsColumn[]): (values: (string | null)[]) => void {
  const bools: number[] = [];
  const times: number[] = [];
  columns.forEach((c, i) => {
    if (c.type === 'BOOLEAN') bools.push(i);
    else if (c.type === 'TIMESTAMP') times.push(i);
  });
  return (values) => {
    for (const i of bools) {
      const v = values[i];
      if (v === 't' || v === 'true') values[i] = '1';
      else if (v === 'f' || v === 'false') values[i] = '0';
    }
    for (const i of times) {
      const v = values[i];
      if (v != null && v.includes('.')) values[i] = v.replace(/\.?0+$/, '');
    }
  };
}

const rawText = { getTypeParser: () => (value: string) => value };

async function* pgRows(pool: pg.Pool, sql: string, params: number[], timeoutMs: number): AsyncGenerator<(string | null)[]> {
  const client = await pool.connect();
  let clean = false;
  try {
    await client.query(
      `BEGIN READ ONLY;
       SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))};
       SET LOCAL DateStyle = 'ISO, YMD';
       SET LOCAL extra_float_digits = 1`,
    );
    const stream = client.query(new QueryStream(sql, params, { rowMode: 'array', types: rawText, batchSize: FETCH_ROWS, highWaterMark: FETCH_ROWS }));
    // Breaking out of this loop destroys the stream, which closes the portal.
    for await (const row of stream) yield row as (string | null)[];
    await client.query('COMMIT');
    clean = true;
  } finally {
    if (!clean) clean = await client.query('ROLLBACK').then(() => true, () => false);
    client.release(!clean);
  }
}

async function* mysqlRows(
  pools: DbPools,
  results: ResultsConfig,
  select: string,
  from: string,
  params: number[],
  timeoutMs: number,
): AsyncGenerator<(string | null)[]> {
  const handle = pools.mysql(results);
  const seconds = Math.max(1, Math.floor(timeoutMs / 1000));
  const sql =
    (await handle.flavour()) === 'mariadb'
      ? `SET STATEMENT max_statement_time = ${seconds} FOR SELECT ${select} ${from}`
      : `SELECT /*+ MAX_EXECUTION_TIME(${seconds * 1000}) */ ${select} ${from}`;
  const conn = await mysqlConnection(handle.pool);
  let ended = false;
  try {
    const stream = conn
      .query({
        sql,
        values: params,
        rowsAsArray: true,
        // The server's own text for every value: no numbers, no dates.
        typeCast: (field: { string(): string | null }) => field.string(),
      } as mysql.QueryOptions)
      .stream({ highWaterMark: FETCH_ROWS });
    for await (const row of stream) yield row as (string | null)[];
    ended = true;
  } finally {
    // A result set read only in part would still arrive on the connection: close it instead.
    if (ended) conn.release();
    else conn.destroy();
  }
}
