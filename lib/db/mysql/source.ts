import { randomBytes } from 'node:crypto';
import type mysql from 'mysql2';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../createDbPools.js';
import type { SourceQuery } from '../engine.js';
import { RowBuffer } from '../rowBuffer.js';
import type { SourceReader } from '../sourceReader.js';
import type { Column, Row, RunningQuery } from '../types.js';
import { MYSQL_TYPE, mysqlColumn, type MysqlFieldInfo } from './columns.js';
import { mysqlRunComment, mysqlTimeoutSetting } from './dialect.js';
import { destroyMysqlConnection, mysqlConnection, mysqlQuery } from './session.js';

interface MysqlCommand {
  on(event: 'fields', listener: (fields: MysqlFieldInfo[] | undefined) => void): this;
  on(event: 'result', listener: (row: unknown[]) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (err: unknown) => void): this;
}

/**
 * Starts a task query on a MySQL/MariaDB source: a server-side prepared statement
 * (arguments bound, binary protocol) inside `START TRANSACTION READ ONLY`, with
 * the session's statement timeout set. Rows stream as the socket delivers them
 * and the socket is paused while the writer catches up.
 */
export async function openMysqlSource(pools: DbPools, source: DbConfig, { query, args, timeoutMs, onStarted }: SourceQuery): Promise<SourceReader> {
  const handle = pools.mysql(source);
  const flavour = await handle.flavour();
  const conn = await mysqlConnection(handle.pool);
  const timeout = mysqlTimeoutSetting(flavour, timeoutMs);
  const tag = randomBytes(8).toString('hex');
  const sql = `${mysqlRunComment(tag)} ${query}`;
  let released = false;
  let done = false;
  let started = false;

  const release = async (destroy: boolean) => {
    if (released) return;
    released = true;
    if (destroy) {
      destroyMysqlConnection(conn);
      return;
    }
    // Every run has its own statement text (the tag): free it on the server.
    // (mysql2 keys its statement cache by these same options.)
    if (started) (conn as unknown as { unprepare(options: object): unknown }).unprepare({ sql, rowsAsArray: true });
    try {
      await mysqlQuery(conn, `SET SESSION ${timeout.name} = DEFAULT`);
      conn.release();
    } catch {
      destroyMysqlConnection(conn);
    }
  };

  try {
    await mysqlQuery(conn, `SET SESSION ${timeout.name} = ${timeout.value}`);
    await mysqlQuery(conn, 'START TRANSACTION READ ONLY');
    const idRows = await mysqlQuery<{ id: string | number }[]>(conn, 'SELECT CONNECTION_ID() AS id');
    const connectionId = Number(idRows[0]?.id);
    if (!Number.isSafeInteger(connectionId)) throw new Error('could not read the MySQL connection id');
    const running: RunningQuery = { db: source.name, type: 'mysql', connectionId, tag };
    await onStarted?.(running);

    let columns: Column[] | undefined;
    let convert: ((row: unknown[]) => number) | undefined;
    let described: (() => void) | undefined;
    const buffer = new RowBuffer({ pause: () => conn.pause(), resume: () => conn.resume() });
    const finished = () => {
      done = true;
      described?.();
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
    const command = conn.execute({ sql, values: args, rowsAsArray: true }) as unknown as MysqlCommand;
    command
      .on('fields', (fields) => {
        if (!fields) return;
        if (columns) {
          // A procedure's second result set: rows of another shape cannot join the table.
          buffer.fail(new Error('the task query returns more than one result set'));
          convert = () => 0;
          return;
        }
        columns = fields.map(mysqlColumn);
        convert = canonicalizer(fields);
        described?.();
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
      described = resolve;
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
      setFormat: (format) => buffer.setFormat(format),
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
        if (!done) {
          await release(true);
          return;
        }
        try {
          await mysqlQuery(conn, 'ROLLBACK');
          await release(false);
        } catch {
          await release(true);
        }
      },
    };
  } catch (err) {
    if (done || !started) {
      try {
        await mysqlQuery(conn, 'ROLLBACK');
        await release(false);
      } catch {
        await release(true);
      }
    } else {
      await release(true);
    }
    throw err;
  }
}

/** What a column's values need to become canonical text. */
type Kind = 'text' | 'number' | 'float' | 'date' | 'time' | 'bit';

function kindOf(field: MysqlFieldInfo & { characterSet?: number }): Kind {
  switch (field.columnType) {
    case MYSQL_TYPE.TINY:
    case MYSQL_TYPE.SHORT:
    case MYSQL_TYPE.LONG:
    case MYSQL_TYPE.INT24:
    case MYSQL_TYPE.YEAR:
    case MYSQL_TYPE.DOUBLE:
    case MYSQL_TYPE.LONGLONG:
      return 'number';
    case MYSQL_TYPE.FLOAT:
      return 'float';
    case MYSQL_TYPE.DATE:
    case MYSQL_TYPE.NEWDATE:
    case MYSQL_TYPE.DATETIME:
    case MYSQL_TYPE.TIMESTAMP:
    case MYSQL_TYPE.DATETIME2:
    case MYSQL_TYPE.TIMESTAMP2:
      return 'date';
    case MYSQL_TYPE.TIME:
    case MYSQL_TYPE.TIME2:
      return 'time';
    case MYSQL_TYPE.BIT:
      return 'bit';
    default:
      return 'text';
  }
}

/**
 * Turns a binary-protocol row into canonical text in place and returns its
 * approximate size. mysql2 already gives BIGINT, DECIMAL, dates and JSON as
 * strings (bigNumberStrings, dateStrings, jsonStrings); small integers and
 * floats arrive as numbers, binary strings and BIT as Buffers.
 */
function canonicalizer(fields: MysqlFieldInfo[]): (row: unknown[]) => number {
  const kinds = fields.map(kindOf);
  const decimals = fields.map((f) => (f.decimals > 0 && f.decimals <= 6 ? f.decimals : 0));
  const n = kinds.length;
  return (row) => {
    let bytes = 16;
    for (let i = 0; i < n; i++) {
      const v = row[i];
      if (v === null || v === undefined) {
        row[i] = null;
        continue;
      }
      if (typeof v === 'string') {
        bytes += v.length;
        // MySQL's zero dates have no counterpart anywhere else: they become NULL.
        if (kinds[i] === 'date' && v.startsWith('0000-00-00')) row[i] = null;
        // mysql2 trims a TIME's fraction ('01:02:03.4'); MySQL prints TIME(3) as '01:02:03.400'.
        else if (kinds[i] === 'time' && decimals[i]) row[i] = timeWithDecimals(v, decimals[i] ?? 0);
        continue;
      }
      const text = toText(v, kinds[i] ?? 'text');
      bytes += text.length;
      row[i] = text;
    }
    return bytes;
  };
}

function toText(v: unknown, kind: Kind): string {
  if (typeof v === 'number') return kind === 'float' ? shortestFloat32(v) : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) {
    if (kind === 'bit') return v.length === 0 ? '0' : BigInt(`0x${v.toString('hex')}`).toString();
    return `\\x${v.toString('hex')}`;
  }
  // GEOMETRY and VECTOR arrive parsed; keep them as JSON text.
  return JSON.stringify(v);
}

function timeWithDecimals(v: string, decimals: number): string {
  const dot = v.indexOf('.');
  const fraction = dot < 0 ? '' : v.slice(dot + 1);
  return `${dot < 0 ? v : v.slice(0, dot)}.${fraction.padEnd(decimals, '0').slice(0, decimals)}`;
}

/** A FLOAT column's value as MySQL prints it: the shortest decimal that reads back as the same float32. */
function shortestFloat32(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  for (let digits = 1; digits <= 9; digits++) {
    const text = v.toPrecision(digits);
    if (Math.fround(Number(text)) === v) return String(Number(text));
  }
  return String(v);
}
