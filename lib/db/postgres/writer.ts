import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type { ResultsConfig } from '../../config/types.js';
import { ROW_COLUMN } from '../shared/columnNames.js';
import type { DbPools } from '../port/dbPools.js';
import type { WriterTarget } from '../port/engine.js';
import type { ResultsWriter } from '../port/resultsWriter.js';
import type { Batch, ByteFormat, Column } from '../port/types.js';
import { resultsIndexes } from '../shared/resultsIndexes.js';
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER } from './binaryCopy.js';
import { pgColumnSqlType } from './columns.js';
import { postgresDialect } from './dialect.js';
import { pgRowTransform } from './rowTransform.js';
import { rollbackAndRelease } from './session.js';
import { assertPgOwner } from './tables.js';
import { pgPool } from './pools.js';

/** How long the swap may wait for readers of the old table before the attempt fails (and is retried). */
const LOCK_TIMEOUT_MS = 30_000;
/** COPY chunks are buffered up to this size before `write` waits for the socket. */
const COPY_HIGH_WATER = 1024 * 1024;
/**
 * Memory for sorting a task's index builds (kB; at least this, more if the server
 * allows more): PostgreSQL's default 64 MB spills a 1M-row sort to disk.
 */
const INDEX_SORT_KB = 256 * 1024;
/** How long an abort waits for the server to acknowledge the end of a COPY. */
const ABORT_WAIT_MS = 5_000;

/**
 * Loads a results table on PostgreSQL in ONE transaction: CREATE TABLE under a
 * random temporary name, `COPY ... FROM STDIN (FREEZE)` (binary when the source
 * offers `pg-binary`: a PostgreSQL source whose columns all keep their type), the task's
 * indexes, then DROP the old table and RENAME the new one before COMMIT. The writer numbers
 * rows 1..N with no gap, and a COPY into a table created in its own transaction appends
 * them in that order (it skips the free space map): each page of results lies in a run of
 * blocks that a TID range reads without a `_row` index, which would cost the load a pass
 * over the whole table (docs/results.md, "The `_row` index"). Readers never
 * see the temporary table nor a half-loaded one, and if the worker dies the
 * server rolls everything back: nothing is left to clean up.
 */
export async function openPgWriter(pools: DbPools, results: ResultsConfig, { table, columns, owner, directFormats, indexes }: WriterTarget): Promise<ResultsWriter> {
  const format: ByteFormat = directFormats?.includes('pg-binary') ? 'pg-binary' : 'text';
  const binary = format === 'pg-binary';
  const rowTransform = pgRowTransform(columns);
  const client = await pgPool(pools, results).connect();
  const q = postgresDialect.quoteIdent;
  const tmp = `sqljobber_tmp_${randomBytes(8).toString('hex')}`;
  let released = false;
  const release = (destroy: boolean) => {
    if (released) return;
    released = true;
    client.off('error', onClientError);
    client.release(destroy);
  };

  let copy: Writable | undefined;
  let copyError: unknown;
  let breaks: (err: unknown) => void = () => {};
  const broken = new Promise<unknown>((resolve) => (breaks = resolve));
  const onClientError = (err: unknown) => breaks(err);
  client.on('error', onClientError);
  let copyEnded = false;
  let committing = false;
  let count = 0;

  const rollback = async () => {
    if (released) return;
    released = true;
    client.off('error', onClientError);
    await rollbackAndRelease(client);
  };

  try {
    const definitions = columns.map((c) => `${q(c.name)} ${pgColumnSqlType(c)}`);
    // xmloption content: an xml value from a PostgreSQL source may be a fragment, which a
    // server set to `document` would refuse.
    await client.query(
      `BEGIN;
       SET LOCAL statement_timeout = 0;
       SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS};
       SET LOCAL xmloption = content;
       SELECT set_config('maintenance_work_mem', GREATEST(pg_size_bytes(current_setting('maintenance_work_mem')) / 1024, ${INDEX_SORT_KB}) || 'kB', true);
       CREATE ${results.unlogged ? 'UNLOGGED ' : ''}TABLE ${q(tmp)} (${[`${q(ROW_COLUMN)} BIGINT NOT NULL`, ...definitions].join(', ')})`,
    );
    // FREEZE: the table is new in this transaction, so rows can be written frozen
    // and no later VACUUM has to rewrite them.
    copy = client.query(copyFrom(`COPY ${q(tmp)} FROM STDIN WITH (${binary ? 'FORMAT binary, ' : ''}FREEZE)`, { highWaterMark: COPY_HIGH_WATER }));
    copy.on('error', (err) => {
      copyError ??= err;
      breaks(err);
    });
    // The source's tuples come without the file's header and trailer (see BinaryCopyFramer).
    if (binary) copy.write(BINARY_COPY_HEADER);
  } catch (err) {
    await rollback();
    throw err;
  }
  const stream = copy;

  return {
    format,
    transform: rowTransform.transform,
    broken,

    async write(batch: Batch) {
      if (copyError) throw copyError;
      if (batch.format !== format) throw new Error(`this PostgreSQL writer takes ${format} batches, not ${batch.format}`);
      count += batch.count;
      let ok = true;
      for (const chunk of batch.chunks) ok = stream.write(chunk);
      if (!ok) await drained(stream, () => copyError);
    },

    async commit(deadline: number) {
      if (copyError) throw copyError;
      committing = true;
      await new Promise<void>((resolve, reject) => {
        stream.once('finish', resolve);
        stream.once('error', reject);
        if (binary) stream.end(BINARY_COPY_TRAILER);
        else stream.end();
      });
      copyEnded = true;
      // The index build and the swap get what is left of the attempt's time.
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(deadline - Date.now()))}`);
      // No `_row` index: the rows lie on disk in `_row` order, and a page is read by its TID range
      // (lib/db/postgres/pageRangeSql.ts). The task's indexes, `_row` last: one index then
      // serves an order on its columns with the `_row` tiebreak.
      const built = resultsIndexes(indexes, columns);
      for (const index of built.indexes) {
        await client.query(`CREATE INDEX ON ${q(tmp)} (${[...index.map(pgIndexTerm), q(ROW_COLUMN)].join(', ')})`);
      }
      // Fenced: only while this attempt still holds the name (a newer one registered since: SupersededError, rolled back).
      if (owner !== undefined) await assertPgOwner(client, table, owner);
      await client.query(`DROP TABLE IF EXISTS ${q(table)}`);
      await client.query(`ALTER TABLE ${q(tmp)} RENAME TO ${q(table)}`);
      await client.query('COMMIT');
      release(false);
      return { count, warnings: [...rowTransform.warnings(), ...built.warnings] };
    },

    async abort() {
      if (released) return;
      // A commit still running (the deadline passed): a ROLLBACK would queue behind
      // it; closing the connection rolls back, and the statement timeout stops it.
      if (committing) {
        release(true);
        return;
      }
      if (!copyEnded && !copyError) {
        // CopyFail ends the COPY with an error, after which ROLLBACK works.
        const stopped = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), ABORT_WAIT_MS);
          const done = () => {
            clearTimeout(timer);
            resolve(true);
          };
          stream.once('error', done);
          stream.once('close', done);
          stream.destroy(new Error('results load aborted'));
        });
        // A server that does not answer the CopyFail: drop the connection, which rolls back too.
        if (!stopped) release(true);
      }
      await rollback();
    },
  };
}

/** Resolves on 'drain'; rejects if the stream fails meanwhile. */
function drained(stream: Writable, failure: () => unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (err: unknown) => {
      cleanup();
      reject(failure() ?? err);
    };
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onError);
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onError);
  });
}

/**
 * One column of a results index, NULLs first as the explore grammar orders them
 * (NULL is the smallest value). A TEXT column of another type (inet, point...)
 * is read as its text there, so it is indexed as its text.
 */
function pgIndexTerm(column: Column): string {
  const q = postgresDialect.quoteIdent(column.name);
  const sql = pgColumnSqlType(column).toLowerCase();
  const expr = column.type === 'TEXT' && sql !== 'text' && !sql.startsWith('character varying') && !sql.startsWith('varchar') ? `(${q}::text)` : q;
  return `${expr} NULLS FIRST`;
}
