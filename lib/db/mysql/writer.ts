import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type mysql from 'mysql2';
import type { ResultsConfig } from '../../config/types.js';
import { REGISTER_LOCK_WAIT_S, SupersededError } from '../port/catalog.js';
import { ROW_COLUMN } from '../shared/columnNames.js';
import type { DbPools } from '../port/dbPools.js';
import type { WriterTarget } from '../port/engine.js';
import type { ResultsWriter } from '../port/resultsWriter.js';
import type { Batch, Column, Row } from '../port/types.js';
import { resultsIndexes } from '../shared/resultsIndexes.js';
import { mysqlColumnSqlType, mysqlLoadExpression } from './columns.js';
import { mysqlDialect } from './dialect.js';
import { LoadPackets, type PacketConnection } from './loadPackets.js';
import { mysqlRowTransform } from './rowTransform.js';
import { destroyMysqlConnection, mysqlConnection, mysqlExecute, mysqlQuery } from './session.js';
import { mysqlOwnerHolds, mysqlTableExists, withMysqlCatalogLock } from './tables.js';
import { mysqlControlPool, mysqlPool } from './pools.js';

/** Fallback INSERT: rows per statement, bounded by MySQL's 65,535 placeholders and by bytes. */
const INSERT_MAX_ROWS = 1000;
const INSERT_MAX_PLACEHOLDERS = 65_535;
const INSERT_MAX_BYTES = 4 * 1024 * 1024;
/** Seconds DDL may wait for a metadata lock (readers of the old table) before failing (retryable 1205). */
const LOCK_WAIT_TIMEOUT_S = 30;
/** How long an abort waits for the server to end an interrupted LOAD DATA. */
const ABORT_WAIT_MS = 5_000;
/** How long an abort waits for the kill of a load in progress. */
const KILL_WAIT_MS = 1_000;
/** Errors meaning LOCAL INFILE is off on the server or the client. */
const LOCAL_INFILE_REFUSED = new Set([1148, 3948, 2068]);

interface OkPacket {
  affectedRows: number;
  warningStatus: number;
}

interface Load {
  /** The stream mysql2 answers the server's file request with: it only ever ends (or fails) the file. */
  local: Readable;
  /** The file's content, written as packets on the connection. */
  packets: LoadPackets;
  /** Settles when the server answers the LOAD DATA. */
  done: Promise<OkPacket>;
}

/**
 * Loads a results table on MySQL/MariaDB: CREATE TABLE under a random temporary
 * name, stream the rows with `LOAD DATA LOCAL INFILE` (multi-row INSERTs with
 * bound values when LOCAL INFILE is off), then put it in place with one atomic
 * `RENAME TABLE` (old table swapped out and dropped). DDL commits on MySQL, so an
 * aborted load drops its temporary table.
 */
export async function openMysqlWriter(pools: DbPools, results: ResultsConfig, { table, columns, timeoutMs, owner, indexes }: WriterTarget): Promise<ResultsWriter> {
  const handle = mysqlPool(pools, results);
  const conn = await mysqlConnection(handle.pool);
  const q = mysqlDialect.quoteIdent;
  const suffix = randomBytes(8).toString('hex');
  const tmp = `sqljobber_tmp_${suffix}`;
  const columnList = [ROW_COLUMN, ...columns.map((c) => c.name)].map(q).join(', ');
  // Bytes and BIT cannot be loaded from their text: they go through a variable or an expression.
  const loadExpressions = columns.map(mysqlLoadExpression);
  const loadTargets = [q(ROW_COLUMN), ...columns.map((c, i) => (loadExpressions[i] ? `@c${i}` : q(c.name)))].join(', ');
  const loadSets = columns.flatMap((c, i) => {
    const expression = loadExpressions[i];
    return expression ? [`${q(c.name)} = ${expression(`@c${i}`)}`] : [];
  });
  const rowTransform = mysqlRowTransform(columns);

  let released = false;
  let created = false;
  let committing = false;
  let count = 0;
  let load: Load | undefined;
  let loadError: unknown;
  let pendingInsert: Row[] = [];
  let pendingBytes = 0;
  const prepared = new Set<string>();
  let breaks: (err: unknown) => void = () => {};
  const broken = new Promise<unknown>((resolve) => (breaks = resolve));
  const onConnError = (err: unknown) => breaks(err);
  conn.on('error', onConnError);

  const release = async (destroy: boolean) => {
    if (released) return;
    released = true;
    conn.off('error', onConnError);
    for (const sql of prepared) conn.unprepare(sql);
    if (destroy) {
      destroyMysqlConnection(conn);
      return;
    }
    try {
      await mysqlQuery(conn, 'SET SESSION net_read_timeout = DEFAULT, lock_wait_timeout = DEFAULT, sql_mode = DEFAULT');
      conn.release();
    } catch {
      destroyMysqlConnection(conn);
    }
  };

  const startLoad = async (): Promise<boolean> => {
    const local = new Readable({ read() {} });
    // mysql2 stops listening to this stream when its connection fails; the error an
    // abort then destroys it with must not go unheard (an unhandled 'error' event
    // would crash the process). The load's own outcome is `done`.
    local.on('error', () => {});
    let accept: (ok: boolean) => void = () => {};
    const accepted = new Promise<boolean>((resolve) => (accept = resolve));
    const sql =
      `LOAD DATA LOCAL INFILE 'sql-jobber-rows' INTO TABLE ${q(tmp)} CHARACTER SET utf8mb4 ` +
      `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${loadTargets})` +
      (loadSets.length > 0 ? ` SET ${loadSets.join(', ')}` : '');
    const done = new Promise<OkPacket>((resolve, reject) => {
      conn.query({ sql, infileStreamFactory: () => (accept(true), local) }, (err, res) => {
        if (err) reject(err);
        else resolve(res as unknown as OkPacket);
      });
    });
    let refused: unknown;
    done.catch((err: unknown) => {
      refused = err;
      accept(false);
    });
    if (await accepted) {
      load = { local, done, packets: new LoadPackets(conn as unknown as PacketConnection, done) };
      done.catch((err: unknown) => {
        loadError ??= err;
        breaks(err);
      });
      return true;
    }
    const errno = (refused as { errno?: unknown }).errno;
    if (typeof errno === 'number' && LOCAL_INFILE_REFUSED.has(errno)) return false;
    throw refused;
  };

  const flushInsert = async () => {
    if (pendingInsert.length === 0) return;
    const rows = pendingInsert;
    const first = count - rows.length + 1;
    pendingInsert = [];
    pendingBytes = 0;
    const tuple = `(${['?', ...loadExpressions.map((expression) => (expression ? expression('?') : '?'))].join(', ')})`;
    const sql = `INSERT INTO ${q(tmp)} (${columnList}) VALUES ${new Array(rows.length).fill(tuple).join(', ')}`;
    const values: (string | null)[] = [];
    rows.forEach((row, i) => values.push(String(first + i), ...row));
    prepared.add(sql);
    await mysqlExecute(conn, sql, values);
  };

  try {
    // LOCAL INFILE reads wait for our source: let gaps between rows last up to the task's timeout.
    const netReadTimeout = Math.ceil(timeoutMs / 1000) + 60;
    // A MySQL source's zero dates ('0000-00-00', '2024-00-15') load as they are, also on a
    // server whose sql_mode refuses them (MySQL 8's default has NO_ZERO_DATE, NO_ZERO_IN_DATE).
    await mysqlQuery(
      conn,
      `SET SESSION net_read_timeout = ${netReadTimeout}, lock_wait_timeout = ${LOCK_WAIT_TIMEOUT_S},
         sql_mode = TRIM(BOTH ',' FROM REPLACE(REPLACE(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_ZERO_IN_DATE,', ','), ',NO_ZERO_DATE,', ','), ',,', ','))`,
    );
    const definitions = columns.map((c) => `${q(c.name)} ${mysqlColumnSqlType(c)}`);
    await mysqlQuery(
      conn,
      `CREATE TABLE ${q(tmp)} (${[`${q(ROW_COLUMN)} BIGINT NOT NULL PRIMARY KEY`, ...definitions].join(', ')}) DEFAULT CHARSET = utf8mb4`,
    );
    created = true;
    // LOAD DATA starts now, so the source knows which format to produce; the
    // raised net_read_timeout lets it wait for slow rows.
    if (handle.localInfile !== false) handle.localInfile = await startLoad();
  } catch (err) {
    const dropped = await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(tmp)}`).then(
      () => true,
      () => false,
    );
    await release(!dropped);
    if (!dropped && created) await mysqlQuery(handle.pool, `DROP TABLE IF EXISTS ${q(tmp)}`).catch(() => {});
    throw err;
  }

  const maxInsertRows = Math.max(1, Math.min(INSERT_MAX_ROWS, Math.floor(INSERT_MAX_PLACEHOLDERS / (columns.length + 1))));

  return {
    format: load ? 'text' : 'rows',
    transform: rowTransform.transform,
    broken,

    async write(batch: Batch) {
      if (batch.format === 'text') {
        if (!load) throw new Error('text batches need LOAD DATA');
        if (loadError) throw loadError;
        count += batch.count;
        await load.packets.write(batch.chunks);
        // Copied into the packets: the source may fill these chunks again.
        batch.recycle?.();
        return;
      }
      if (batch.format !== 'rows') throw new Error(`the MySQL writer takes text or rows, not ${batch.format}`);
      for (const row of batch.rows) {
        pendingInsert.push(row);
        count++;
        for (const v of row) pendingBytes += v === null ? 4 : v.length;
        if (pendingInsert.length >= maxInsertRows || pendingBytes >= INSERT_MAX_BYTES) await flushInsert();
      }
    },

    async commit() {
      committing = true;
      if (load) {
        load.packets.end();
        load.local.push(null);
        const ok = await load.done;
        load = undefined;
        if (ok.warningStatus > 0) {
          // LOAD DATA LOCAL turns bad values into warnings (and wrong data): refuse the table instead.
          const warnings = await mysqlQuery<{ Level: string; Code: number; Message: string }[]>(conn, 'SHOW WARNINGS LIMIT 3');
          throw new Error(`results table load had ${ok.warningStatus} warning(s): ${warnings.map((w) => `${w.Code} ${w.Message}`).join('; ')}`);
        }
        if (Number(ok.affectedRows) !== count) {
          throw new Error(`results table load wrote ${ok.affectedRows} of ${count} rows`);
        }
      }
      await flushInsert();
      // The task's indexes in one ALTER (one table rebuild), `_row` last: one index then serves an order with the `_row` tiebreak.
      const built = resultsIndexes(indexes, columns);
      if (built.indexes.length > 0) {
        const adds = built.indexes.map((index) => `ADD INDEX (${[...index.map(mysqlIndexTerm), q(ROW_COLUMN)].join(', ')})`);
        await mysqlQuery(conn, `ALTER TABLE ${q(tmp)} ${adds.join(', ')}`);
      }
      if (owner === undefined) await swapIn(conn, tmp, table, suffix);
      else {
        // Fenced: under the catalog entry's lock, only while this attempt still holds the name.
        await withMysqlCatalogLock(conn, table, REGISTER_LOCK_WAIT_S, async () => {
          if (!(await mysqlOwnerHolds(conn, table, owner))) throw new SupersededError(table);
          await swapIn(conn, tmp, table, suffix);
        });
      }
      created = false;
      await release(false);
      return { count, warnings: [...rowTransform.warnings(), ...built.warnings] };
    },

    async abort() {
      if (released) return;
      // A commit still running (the deadline passed): statements would queue behind
      // it. Close the connection (which stops its statement) and drop from the pool.
      let healthy = !committing;
      if (committing && conn.threadId !== null) {
        await mysqlQuery(mysqlControlPool(pools, results), `KILL QUERY ${Number(conn.threadId)}`).catch(() => undefined);
      }
      if (load && !committing) {
        const { local, done, packets } = load;
        load = undefined;
        packets.discard();
        // The server would first load every row already sent (a second or more for 100k rows): stop it.
        // Bounded: a results server that is gone answers no kill, and the wait below settles that case.
        if (conn.threadId !== null) {
          await settlesWithin(mysqlQuery(mysqlControlPool(pools, results), `KILL QUERY ${Number(conn.threadId)}`).catch(() => undefined), KILL_WAIT_MS);
        }
        // mysql2 answers a failed local stream with an empty packet: the server ends the LOAD.
        local.destroy(new Error('results load aborted'));
        healthy = await settlesWithin(done, ABORT_WAIT_MS);
      }
      if (created && healthy) {
        try {
          await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(tmp)}`);
          created = false;
        } catch {
          healthy = false;
        }
      }
      await release(!healthy);
      if (created) {
        await mysqlQuery(handle.pool, `DROP TABLE IF EXISTS ${q(tmp)}`).catch(() => {});
      }
    },
  };
}

/**
 * Puts `tmp` in place of `table` atomically: `RENAME TABLE table TO old, tmp TO table`
 * when it exists (then drops the old one), else `RENAME TABLE tmp TO table`. A
 * table that appears or vanishes meanwhile (TTL sweep) gets the other form.
 */
async function swapIn(conn: mysql.PoolConnection, tmp: string, table: string, suffix: string): Promise<void> {
  const q = mysqlDialect.quoteIdent;
  const old = `sqljobber_old_${suffix}`;
  const existing = await mysqlQuery<unknown[]>(
    conn,
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [table],
  );
  let exists = existing.length > 0;
  for (let attempt = 0; ; attempt++) {
    try {
      if (exists) {
        await mysqlQuery(conn, `RENAME TABLE ${q(table)} TO ${q(old)}, ${q(tmp)} TO ${q(table)}`);
        await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(old)}`);
      } else {
        await mysqlQuery(conn, `RENAME TABLE ${q(tmp)} TO ${q(table)}`);
      }
      return;
    } catch (err) {
      const errno = (err as { errno?: unknown }).errno;
      // 1146: the old table is gone; 1050: a table of that name appeared.
      if (attempt < 2 && ((exists && errno === 1146) || (!exists && errno === 1050))) {
        exists = !exists;
        continue;
      }
      throw err;
    }
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      },
    );
  });
}

/** Longest prefix of a text column an index holds (767 bytes on old row formats / 4 bytes a character). */
const MYSQL_TEXT_PREFIX = 191;

/**
 * One column of a results index. A LONGTEXT column (any TEXT of the results)
 * can only be indexed by a prefix, which serves filters but not an order.
 */
function mysqlIndexTerm(column: Column): string {
  const q = mysqlDialect.quoteIdent(column.name);
  return /text$/i.test(mysqlColumnSqlType(column)) ? `${q}(${MYSQL_TEXT_PREFIX})` : q;
}
