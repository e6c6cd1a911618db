import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { SourceQuery } from '../port/engine.js';
import { RowBuffer } from '../shared/rowBuffer.js';
import type { SourceReader } from '../port/sourceReader.js';
import { beforeDeadline } from '../shared/timeBudget.js';
import type { Column, Row, RunningQuery } from '../port/types.js';
import { PG_OID, pgColumn } from './columns.js';
import { pgCancel } from './control.js';
import { copyable, type CopyOut, startCopyOut } from './copyOut.js';
import { describeStatement, type PgField } from './describeStatement.js';
import { pgRunName } from './dialect.js';
import { runTag } from '../port/dialect.js';
import { PgRowQuery } from './rowQuery.js';
import { rollbackAndRelease } from './session.js';
import { typeFacts, typeKey } from './typeFacts.js';
import { pgPool } from './pools.js';

/** A claim name that may name a setting of its own (`request.jwt.claim.<name>`); others are only in the JSON. */
const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The caller's claims as transaction-local settings, PostgREST's convention:
 * `request.jwt.claims` (the claims as JSON) and `request.jwt.claim.<name>` (a
 * string as it is, any other value as JSON), every value bound, never in the text.
 */
export function claimsStatement(claims: Readonly<Record<string, unknown>>): { sql: string; values: string[] } {
  const values = [JSON.stringify(claims)];
  const calls = [`set_config('request.jwt.claims', $1, true)`];
  for (const [name, value] of Object.entries(claims)) {
    if (!SETTING_NAME.test(name) || value === undefined) continue;
    values.push(typeof value === 'string' ? value : JSON.stringify(value));
    calls.push(`set_config('request.jwt.claim.${name}', $${values.length}, true)`);
  }
  return { sql: `SELECT ${calls.join(', ')}`, values };
}

/** How long an abort waits for the cancel of its still-running query. */
const ABORT_CANCEL_WAIT_MS = 2_000;

/**
 * Opens a task query on a PostgreSQL source: a READ ONLY transaction with a
 * server-side statement timeout and session settings that make every value's
 * text exact and zone-free (UTC, ISO dates, shortest exact floats, hex bytea),
 * then Parse + Describe of the query, so its columns (and its parameters'
 * types) are known before it runs. It runs once the writer is known
 * (`setFormat`): for a PostgreSQL writer as `COPY (query) TO STDOUT`, its text
 * going to the writer's COPY FROM as it is; otherwise (or for a statement COPY
 * cannot run) with the extended protocol, its arguments bound, each value
 * handed over as text (see `canonicalizer`).
 */
export async function openPgSource(pools: DbPools, source: DbConfig, { query, args, timeoutMs, onStarted, claims, label, limits }: SourceQuery): Promise<SourceReader> {
  const client = await pgPool(pools, source).connect();
  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.release(destroy);
  };
  try {
    const tag = runTag(randomBytes(8).toString('hex'), label);
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
       SELECT pg_backend_pid() AS pid, current_setting('standard_conforming_strings') = 'on' AS standard`,
    )) as unknown as pg.QueryResult<{ pid: number; standard: boolean }>[];
    const info = setup.at(-1)?.rows[0];
    const pid = info?.pid;
    if (typeof pid !== 'number') throw new Error('could not read the PostgreSQL backend pid');
    if (claims) {
      const { sql, values } = claimsStatement(claims);
      await client.query(sql, values);
    }
    const running: RunningQuery = { db: source.name, type: 'postgres', connectionId: pid, tag };
    // Recorded (where a cancel finds the query to kill) while the statement is described: nothing runs
    // before both are done, so a cancel meanwhile still stops the query before it is sent.
    const recorded = Promise.resolve(onStarted?.(running));
    recorded.catch(() => undefined);
    const { fields, paramTypes } = await describeStatement(client, query);
    if (!fields) throw new Error('the task query returns no rows (it must be a SELECT or have a RETURNING clause)');
    const facts = await typeFacts(client, [...fields.map((f) => [f.dataTypeID, f.dataTypeModifier] as const), ...paramTypes.map((oid) => [oid, -1] as const)]);
    await recorded;
    const columns = fields.map((f): Column => ({ ...pgColumn(f.name, f.dataTypeID, f.dataTypeModifier, facts), from: 'postgres' }));
    const paramSql = paramTypes.map((oid) => facts.get(typeKey(oid, -1))?.sql ?? 'text');
    // COPY (query) TO STDOUT: for a result with columns (a COPY of none sends empty
    // lines) and the arguments the query takes, and a statement COPY can run.
    // A NULL argument cannot travel in a setting (set_config reads NULL as "reset"): those runs are not COPYs.
    const copyCan = fields.length > 0 && args.length === paramTypes.length && !args.includes(null) && copyable(query, info?.standard === true);
    // Binary when a PostgreSQL results table gets every column's own type, as it does
    // for portable types (`pgColumn`), and each has a binary form.
    const binaryCan = copyCan && fields.every((f) => facts.get(typeKey(f.dataTypeID, f.dataTypeModifier))?.binary === true);

    let done = false;
    let copyOut: CopyOut | undefined;
    let rowQuery: PgRowQuery | undefined;
    let started: Promise<void> | undefined;
    // How the query ended, whichever way it ran.
    const ends = {
      fail(err: unknown) {
        done = true;
        buffer.fail(err);
      },
      done() {
        done = true;
        buffer.end();
      },
    };
    const flow = {
      pause: () => (copyOut ?? rowQuery)?.pause(),
      resume: () => (copyOut ?? rowQuery)?.resume(),
    };
    const buffer = new RowBuffer(flow, limits);

    const startValues = () => {
      const convert = canonicalizer(fields);
      rowQuery = new PgRowQuery(
        query,
        args,
        (values, bytes) => {
          convert?.(values);
          buffer.push(values, bytes);
        },
        ends,
      );
      client.query(rowQuery as unknown as pg.Submittable);
    };

    const startCopy = (binary: boolean) => {
      started = startCopyOut(client, { query, args, paramTypes: paramSql, binary }, buffer, ends).then(
        (out) => void (copyOut = out),
        (err: unknown) => ends.fail(err),
      );
    };

    return {
      columns,
      running,
      directFormats: binaryCan ? ['pg-binary'] : [],
      setFormat(format, target, transform) {
        buffer.setFormat(format, transform);
        if (format === 'pg-binary') {
          if (!binaryCan) throw new Error('this query cannot run as a binary COPY');
          return startCopy(true);
        }
        // COPY text into a COPY FROM of the same types: only a PostgreSQL writer that
        // changes no row (a COPY's rows are never values).
        if (format === 'text' && target === 'postgres' && transform === undefined && copyCan) return startCopy(false);
        startValues();
      },
      next: () => buffer.next(),
      async finish() {
        try {
          await started;
          await client.query('COMMIT');
        } catch (err) {
          release(true);
          throw err;
        }
        if (copyOut && (copyOut.rowCount !== buffer.rowsNumbered || !copyOut.complete)) {
          release(false);
          throw new Error(`the source's COPY sent ${copyOut.rowCount} rows but ${buffer.rowsNumbered} arrived${copyOut.complete ? '' : ', the last cut short'}`);
        }
        release(false);
      },
      async abort() {
        if (released) return;
        if (!done) {
          // Still running: closing the connection stops the rows, but the server notices a
          // closed client only when it next sends one, so a query still computing would run
          // on; a cancel from the control pool stops it now.
          release(true);
          await beforeDeadline(pgCancel(pools, source, running), Date.now() + ABORT_CANCEL_WAIT_MS, 'the cancel', ABORT_CANCEL_WAIT_MS).catch(() => undefined);
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
