import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { SourceQuery } from '../port/engine.js';
import { RowBuffer } from '../shared/rowBuffer.js';
import type { SourceReader } from '../port/sourceReader.js';
import { beforeDeadline } from '../shared/timeBudget.js';
import type { Column, Row, RunningQuery } from '../port/types.js';
import { mysqlCanonicalizer, textProtocolExact } from './canonicalRow.js';
import { mysqlColumn, type MysqlFieldInfo } from './columns.js';
import { mysqlCancel } from './control.js';
import { mysqlRunComment, mysqlTimeoutSetting } from './dialect.js';
import { runTag } from '../port/dialect.js';
import { destroyMysqlConnection, mysqlConnection, mysqlExecute, mysqlPrepare, mysqlQuery } from './session.js';
import { mysqlPool } from './pools.js';

interface MysqlCommand {
  on(event: 'fields', listener: (fields: MysqlFieldInfo[] | undefined) => void): this;
  on(event: 'result', listener: (row: unknown[]) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (err: unknown) => void): this;
}

/** Why a statement the server describes without result columns is refused. */
export const NO_COLUMNS =
  'the task query returns no rows: the server describes no result columns for it, so it was refused before it ran ' +
  '(CALL, COMMIT, SET, DO and the like are not task queries; a task is one SELECT)';

/** How long an abort waits for the KILL QUERY of its still-running query. */
const ABORT_CANCEL_WAIT_MS = 2_000;
/** The session's SQL-level prepared statement of a text-protocol run, and the user variables it reads. */
const TEXT_STATEMENT = 'sqljobber_task';
const QUERY_VARIABLE = '@sqljobber_task';
const argVariable = (i: number) => `@sqljobber_arg${i + 1}`;

/**
 * Starts a task query on a MySQL/MariaDB source: a server-side prepared statement
 * (arguments bound) inside `START TRANSACTION READ ONLY`, with the session's
 * statement timeout set. Rows stream as the socket delivers them and the socket
 * is paused while the writer catches up.
 *
 * Rows come in the text protocol when it carries every column exactly (no FLOAT
 * or DOUBLE, see `textProtocolExact`): the server then sends the values as the
 * text we store, where the binary protocol makes mysql2 rebuild every BIGINT and
 * DATETIME as a string (most of the CPU of a run). Only a COM_QUERY answers in
 * text, so the statement is then prepared and executed in SQL (`PREPARE`,
 * `EXECUTE ... USING @vars`), the query and its arguments set into user
 * variables by a bound statement: nothing is interpolated. Otherwise the
 * statement runs as a binary-protocol COM_STMT_EXECUTE.
 */
export async function openMysqlSource(pools: DbPools, source: DbConfig, { query, args, timeoutMs, onStarted, label, limits }: SourceQuery): Promise<SourceReader> {
  const handle = mysqlPool(pools, source);
  const flavour = await handle.flavour();
  const conn = await mysqlConnection(handle.pool);
  const timeout = mysqlTimeoutSetting(flavour, timeoutMs);
  const tag = runTag(randomBytes(8).toString('hex'), label);
  const sql = `${mysqlRunComment(tag)} ${query}`;
  const variables = [QUERY_VARIABLE, ...args.map((_, i) => argVariable(i))];
  let released = false;
  let done = false;
  let started = false;
  /** The protocol-level statement mysql2 caches is still open. */
  let prepared = false;
  /** The user variables, and perhaps the SQL-level statement, hold this run's query and arguments. */
  let textSet = false;
  let textPrepared = false;

  // (mysql2 keys its statement cache by these same options.)
  const unprepare = () => {
    prepared = false;
    (conn as unknown as { unprepare(options: object): unknown }).unprepare({ sql, rowsAsArray: true });
  };
  const release = async (destroy: boolean) => {
    if (released) return;
    released = true;
    if (destroy) {
      destroyMysqlConnection(conn);
      return;
    }
    // Every run has its own statement text (the tag): free it on the server.
    if (prepared) unprepare();
    // A pooled connection keeps no trace of this run's query or arguments.
    const resets = [`SESSION ${timeout.name} = DEFAULT`, ...(textSet ? variables.map((v) => `${v} = NULL`) : [])];
    try {
      if (textPrepared) await mysqlQuery(conn, `DEALLOCATE PREPARE ${TEXT_STATEMENT}`);
      await mysqlQuery(conn, `SET ${resets.join(', ')}`);
      conn.release();
    } catch {
      destroyMysqlConnection(conn);
    }
  };
  /** Ends the READ ONLY transaction and gives the connection back; one that cannot roll back is closed. */
  const rollbackAndRelease = async () => {
    try {
      await mysqlQuery(conn, 'ROLLBACK');
    } catch {
      await release(true);
      return;
    }
    await release(false);
  };

  try {
    await mysqlQuery(conn, `SET SESSION ${timeout.name} = ${timeout.value}`);
    await mysqlQuery(conn, 'START TRANSACTION READ ONLY');
    const idRows = await mysqlQuery<{ id: string | number }[]>(conn, 'SELECT CONNECTION_ID() AS id');
    const connectionId = Number(idRows[0]?.id);
    if (!Number.isSafeInteger(connectionId)) throw new Error('could not read the MySQL connection id');
    const running: RunningQuery = { db: source.name, type: 'mysql', connectionId, tag };
    // Recorded (where a cancel finds the query to kill) while the statement is prepared: nothing runs
    // before both are done, so a cancel meanwhile still stops the query before it is sent.
    const recorded = Promise.resolve(onStarted?.(running));
    recorded.catch(() => undefined);
    // The statement's columns decide the protocol (they are known once it is prepared).
    const statement = await mysqlPrepare(conn, { sql, rowsAsArray: true });
    prepared = true;
    await recorded;
    const described = statement.columns as unknown as MysqlFieldInfo[];
    // READ ONLY is no sandbox here: a CALL may COMMIT and write, and a bare COMMIT or
    // SET runs before it could be seen to return no rows. What the server does not
    // describe as returning columns never runs (raw tasks too: every run prepares).
    if (described.length === 0) throw new Error(NO_COLUMNS);
    const text = described.length > 0 && textProtocolExact(described);
    if (text) {
      unprepare();
      textSet = true;
      await mysqlExecute(conn, `SET ${variables.map((v) => `${v} = ?`).join(', ')}`, [sql, ...args]);
      textPrepared = true;
      await mysqlQuery(conn, `PREPARE ${TEXT_STATEMENT} FROM ${QUERY_VARIABLE}`);
    }

    let columns: Column[] | undefined;
    let convert: ((row: unknown[]) => number) | undefined;
    let onDescribed: (() => void) | undefined;
    const buffer = new RowBuffer({ pause: () => conn.pause(), resume: () => conn.resume() }, limits);
    const finished = () => {
      done = true;
      onDescribed?.();
    };
    started = true;
    // A statement run without a callback never hears that its connection was lost
    // (mysql2 tells only the connection): without this the read would wait forever
    // on a dead server while the lease kept being renewed.
    const lost = (err: unknown) => {
      if (done) return;
      buffer.fail(err);
      finished();
    };
    conn.on('error', lost);
    // The EXECUTE carries the run's tag too: the process list may show either statement.
    const using = variables.length > 1 ? ` USING ${variables.slice(1).join(', ')}` : '';
    const command = (
      text
        ? conn.query({ sql: `${mysqlRunComment(tag)} EXECUTE ${TEXT_STATEMENT}${using}`, rowsAsArray: true })
        : conn.execute({ sql, values: args, rowsAsArray: true })
    ) as unknown as MysqlCommand;
    command
      .on('fields', (fields) => {
        if (!fields) return;
        if (columns) {
          // A procedure's second result set: rows of another shape cannot join the table.
          buffer.fail(new Error('the task query returns more than one result set'));
          convert = () => 0;
          return;
        }
        if (text && !textProtocolExact(fields)) {
          // Columns typed differently than when prepared: text would lose float digits.
          buffer.fail(new Error('the task query returned FLOAT or DOUBLE columns it did not have when prepared'));
          return;
        }
        columns = fields.map((f) => ({ ...mysqlColumn(f), from: 'mysql' }));
        convert = mysqlCanonicalizer(fields);
        onDescribed?.();
      })
      .on('result', (row) => {
        if (!convert) return; // an OK packet of a statement without rows
        const bytes = convert(row);
        buffer.push(row as Row, bytes);
      })
      .on('error', (err) => {
        // mysql2 keeps the connection paused if we paused it: let it read the rest.
        if (!released) conn.resume();
        buffer.fail(err);
        finished();
      })
      .on('end', () => {
        buffer.end();
        finished();
      });
    // Once the statement is over, later errors of the connection concern whoever uses it next.
    const forget = () => conn.off('error', lost);
    command.on('end', forget).on('error', forget);
    await new Promise<void>((resolve) => {
      onDescribed = resolve;
      if (columns || done) resolve();
    });
    if (!columns) {
      buffer.setFormat('rows');
      await buffer.next();
      throw new Error('the task query returns no rows (it must be a SELECT)');
    }

    return {
      columns,
      running,
      directFormats: [],
      setFormat: (format, _target, transform) => buffer.setFormat(format, transform),
      next: () => buffer.next(),
      async finish() {
        try {
          await mysqlQuery(conn, 'COMMIT');
        } catch (err) {
          await release(true);
          throw err;
        }
        await release(false);
      },
      async abort() {
        if (released) return;
        if (done) return rollbackAndRelease();
        // Still running: closing the connection stops the rows, but the server notices a
        // closed client only when it next writes or checks (SLEEP: every 5 s), so a query
        // still computing would run on; a KILL QUERY from the control pool stops it now.
        await release(true);
        await beforeDeadline(mysqlCancel(pools, source, running), Date.now() + ABORT_CANCEL_WAIT_MS, 'the cancel', ABORT_CANCEL_WAIT_MS).catch(() => undefined);
      },
    };
  } catch (err) {
    await (done || !started ? rollbackAndRelease() : release(true));
    throw err;
  }
}
