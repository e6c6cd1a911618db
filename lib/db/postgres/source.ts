import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../createDbPools.js';
import type { SourceQuery } from '../engine.js';
import { RowBuffer } from '../rowBuffer.js';
import type { SourceReader } from '../sourceReader.js';
import type { Column, Row, RunningQuery } from '../types.js';
import { PG_OID, pgColumn } from './columns.js';
import { pgRunName } from './dialect.js';
import { rollbackAndRelease } from './session.js';

interface PgField {
  name: string;
  dataTypeID: number;
  dataTypeModifier: number;
}

/** The parts of pg's (internal) Connection a Submittable drives. */
interface PgConnection {
  stream: NodeJS.ReadWriteStream & { cork?: () => void; uncork?: () => void };
  parse(msg: { text: string }): void;
  bind(msg: { values: string[] }): void;
  describe(msg: { type: 'P'; name: string }): void;
  execute(msg: { rows: number }): void;
  sync(): void;
  sendCopyFail(message: string): void;
}

/**
 * Runs one statement with the extended protocol (so a task file cannot smuggle
 * in a second statement, and `$n` are bound) and hands every DataRow's fields
 * over as they are: pg-protocol decodes text-format values to strings, so no
 * type parser runs and nothing is converted to Date or Number. `pause`/`resume`
 * act on the socket for backpressure.
 */
class PgRowQuery {
  #connection: PgConnection | undefined;
  #failed = false;

  constructor(
    readonly text: string,
    readonly values: string[],
    readonly sink: {
      fields(fields: PgField[]): void;
      row(fields: (string | null)[], bytes: number): void;
      fail(err: unknown): void;
      done(): void;
    },
  ) {}

  submit(connection: PgConnection): void {
    this.#connection = connection;
    const { stream } = connection;
    stream.cork?.();
    try {
      connection.parse({ text: this.text });
      connection.bind({ values: this.values });
      connection.describe({ type: 'P', name: '' });
      connection.execute({ rows: 0 });
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  }

  pause(): void {
    this.#connection?.stream.pause();
  }

  resume(): void {
    this.#connection?.stream.resume();
  }

  handleRowDescription(msg: { fields: PgField[] }): void {
    this.sink.fields(msg.fields);
  }

  handleDataRow(msg: { fields: (string | null)[]; length: number }): void {
    this.sink.row(msg.fields, msg.length);
  }

  handleCommandComplete(): void {}
  handlePortalSuspended(): void {}

  handleEmptyQuery(): void {
    this.handleError(new Error('the task query is empty'));
  }

  handleCopyInResponse(connection: PgConnection): void {
    connection.sendCopyFail('COPY FROM STDIN cannot run as a task');
  }

  handleCopyData(): void {}

  handleError(err: unknown): void {
    this.#failed = true;
    // A paused socket would never deliver the ReadyForQuery that frees the client.
    this.resume();
    this.sink.fail(err);
  }

  handleReadyForQuery(): void {
    if (!this.#failed) this.sink.done();
  }
}

/**
 * Starts a task query on a PostgreSQL source: a READ ONLY transaction with a
 * server-side statement timeout and session settings that make every value's
 * text exact and zone-free (UTC, ISO dates, shortest exact floats, hex bytea).
 * Resolves once the server described the result's columns.
 */
export async function openPgSource(pools: DbPools, source: DbConfig, { query, args, timeoutMs, onStarted }: SourceQuery): Promise<SourceReader> {
  const client = await pools.pg(source).connect();
  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.release(destroy);
  };
  try {
    const tag = randomBytes(8).toString('hex');
    const timeout = Math.max(1, Math.floor(timeoutMs));
    const setup = (await client.query(
      `BEGIN READ ONLY;
       SET LOCAL statement_timeout = ${timeout};
       SET LOCAL TimeZone = 'UTC';
       SET LOCAL DateStyle = 'ISO, YMD';
       SET LOCAL IntervalStyle = 'postgres';
       SET LOCAL extra_float_digits = 3;
       SET LOCAL bytea_output = 'hex';
       SET LOCAL application_name = '${pgRunName(tag)}';
       SELECT pg_backend_pid() AS pid`,
    )) as unknown as pg.QueryResult<{ pid: number }>[];
    const pid = setup.at(-1)?.rows[0]?.pid;
    if (typeof pid !== 'number') throw new Error('could not read the PostgreSQL backend pid');
    const running: RunningQuery = { db: source.name, type: 'postgres', connectionId: pid, tag };
    await onStarted?.(running);

    let columns: Column[] | undefined;
    let convert: ((row: Row) => void) | undefined;
    let described: (() => void) | undefined;
    let done = false;
    const buffer = new RowBuffer({ pause: () => rowQuery.pause(), resume: () => rowQuery.resume() });
    const rowQuery = new PgRowQuery(query, args, {
      fields(fields) {
        columns = fields.map((f) => pgColumn(f.name, f.dataTypeID, f.dataTypeModifier));
        convert = canonicalizer(fields);
        described?.();
      },
      row(fields, bytes) {
        convert?.(fields);
        buffer.push(fields, bytes);
      },
      fail(err) {
        done = true;
        buffer.fail(err);
        described?.();
      },
      done() {
        done = true;
        buffer.end();
        described?.();
      },
    });
    client.query(rowQuery as unknown as pg.Submittable);
    await new Promise<void>((resolve) => {
      described = resolve;
      if (columns || done) resolve();
    });
    if (!columns) {
      // Failed before describing (syntax error, timeout...), or a statement without rows.
      buffer.setFormat('rows');
      await buffer.next();
      throw new Error('the task query returns no rows (it must be a SELECT or have a RETURNING clause)');
    }

    const finalColumns = columns;
    return {
      columns: finalColumns,
      running,
      setFormat: (format, _target, transform) => buffer.setFormat(format, transform),
      next: () => buffer.next(),
      async finish() {
        try {
          await client.query('COMMIT');
          release(false);
        } catch (err) {
          release(true);
          throw err;
        }
      },
      async abort() {
        if (released) return;
        if (!done) {
          // Still streaming: closing the connection is the sure way to stop the query.
          release(true);
          return;
        }
        released = true;
        await rollbackAndRelease(client);
      },
    };
  } catch (err) {
    if (!released) {
      released = true;
      await rollbackAndRelease(client);
    }
    throw err;
  }
}

/**
 * Rewrites the one PostgreSQL text that is not canonical in place: booleans `t`/`f`
 * become `1`/`0` (what MySQL's BOOLEAN takes). The session's settings make every
 * other text canonical already: timestamptz in UTC with `+00`, bytea as `\x` hex,
 * uuid in lowercase; arrays stay PostgreSQL's text, which a writer of another
 * engine turns into JSON (it alone knows what its database holds).
 */
function canonicalizer(fields: PgField[]): ((row: Row) => void) | undefined {
  const bools: number[] = [];
  fields.forEach((f, i) => {
    if (f.dataTypeID === PG_OID.bool) bools.push(i);
  });
  if (bools.length === 0) return undefined;
  return (row) => {
    for (const i of bools) {
      const v = row[i];
      if (v != null) row[i] = v === 't' ? '1' : '0';
    }
  };
}
