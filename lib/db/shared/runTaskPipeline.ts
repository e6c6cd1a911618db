import { uniqueColumnNames } from './columnNames.js';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { DbEngine } from '../port/engine.js';
import { assertTableName } from './assertTableName.js';
import { GuardrailExceeded, truncationWarning } from '../port/guardrails.js';
import type { ResultsWriter } from '../port/resultsWriter.js';
import type { SourceReader } from '../port/sourceReader.js';
import type { RowSink } from '../port/rowSink.js';
import { teeRows } from './teeRows.js';
import { beforeDeadline } from './timeBudget.js';
import type { Batch, RunPhase, RunTaskInput, RunTaskResult } from '../port/types.js';

/**
 * Runs a task query on its source and writes every row to the job's results table.
 *
 * The query runs in a READ ONLY transaction with a server-side statement timeout,
 * its arguments bound. Rows stream from the source socket straight into the
 * results database's bulk loader (COPY, or LOAD DATA LOCAL INFILE), encoded as
 * they arrive, with backpressure both ways, so memory does not grow with the
 * result. The table is built under a temporary name and swapped in at the end:
 * readers see the old table or the complete new one, never a partial one. The
 * whole run, the swap included, stays within `timeoutMs`. On any failure the
 * query is stopped, the temporary table dropped and the error rethrown as the
 * driver gave it (see `classifyDbError`); past a result limit the error is
 * `GuardrailExceeded`, thrown once the source connection is closed, its `cleanup`
 * the cancel and the drop.
 *
 * Both engines come from the front door (`sourceDb`), which picked them once.
 */
export async function runTaskPipeline(pools: DbPools, from: DbEngine, source: DbConfig, to: DbEngine, input: RunTaskInput): Promise<RunTaskResult> {
  if (!input.skipTable) assertTableName(input.table);
  const { results, timeoutMs } = input;
  const deadline = Date.now() + timeoutMs;
  const open = new Set<(error?: unknown) => void>();
  const begin = (name: RunPhase) => {
    const end = input.phase?.(name);
    if (!end) return () => undefined;
    open.add(end);
    return (error?: unknown) => {
      if (open.delete(end)) end(error);
    };
  };
  const endQuery = begin('source query');
  const truncate = input.limits?.onLimit === 'truncate';
  // Failing at a limit: the moment it is reached, not once a write in flight is done.
  let reached: (limit: GuardrailExceeded) => void = () => undefined;
  const limitReached = new Promise<never>((_, reject) => (reached = reject));
  limitReached.catch(() => undefined);
  let reader: SourceReader;
  try {
    reader = await from.openSource(pools, source, {
      query: input.query,
      args: input.args,
      timeoutMs,
      onStarted: input.onStarted,
      ...(input.claims ? { claims: input.claims } : {}),
      ...(input.label ? { label: input.label } : {}),
      ...(input.limits ? { limits: { maxRows: input.limits.maxRows, maxBytes: input.limits.maxBytes, keepRows: truncate, onReached: (limit) => reached(limit) } } : {}),
    });
  } catch (err) {
    endQuery(err);
    throw err;
  }
  let writer: ResultsWriter | undefined;
  let sink: RowSink | undefined;
  try {
    const columns = uniqueColumnNames(to.dialect, reader.columns);
    const endWrite = begin('results write');
    if (!input.skipTable) {
      // An export takes values, so the writer gets no bulk format of the source's own.
      const directFormats = input.export ? [] : reader.directFormats;
      writer = await to.openWriter(pools, results, { table: input.table, columns, timeoutMs, owner: input.owner, directFormats, indexes: input.indexes });
    }
    if (input.export) sink = await input.export(columns);
    if (sink) reader.setFormat('rows', results.type);
    else if (writer) reader.setFormat(writer.format, results.type, writer.transform);
    else throw new Error('a run writes a results table, an export, or both');
    const write = sink ? teeRows(columns, sink, writer) : (batch: Batch) => writer!.write(batch);
    const next = writer ? nextOrBroken(reader, writer) : () => reader.next();
    const written = { rows: 0, bytes: 0 };
    // A result limit reached (the reader handed out every row before it, then this): rethrown, or the table's end.
    let limited: GuardrailExceeded | undefined;
    const nextOrLimit = () =>
      next().catch((err: unknown) => {
        if (truncate && err instanceof GuardrailExceeded) {
          limited = err;
          return undefined;
        }
        throw err;
      });
    for (let batch = await nextOrLimit(); batch; batch = await nextOrLimit()) {
      // Measured before the write: a writer may recycle the batch's memory.
      const bytes = batchBytes(batch);
      await (input.limits && !truncate ? Promise.race([write(batch), limitReached]) : write(batch));
      written.rows += batch.count;
      written.bytes += bytes;
      input.onProgress?.({ ...written });
    }
    // Past a limit the query may still run: stop it (cancelled on the server), the rows so far are the table.
    if (limited) await reader.abort();
    else await reader.finish();
    endQuery();
    // The export is complete before the table is swapped in: a job that succeeds has both.
    const exported = sink ? await beforeDeadline(sink.finish(), deadline, 'finishing the export', timeoutMs) : undefined;
    endWrite();
    // The index build and the swap count against the attempt's time too: a query
    // that used most of it must not run the function into its own timeout.
    const endCommit = begin('index build and swap');
    const out = writer ? await beforeDeadline(writer.commit(deadline), deadline, 'writing the results table', timeoutMs) : { count: exported!.rows, warnings: [] };
    endCommit();
    const warnings = [...out.warnings, ...(exported?.warnings ?? [])];
    if (!limited) return { count: out.count, bytes: written.bytes, columns, warnings };
    const guardrail = limited.guardrail === 'max_rows' ? 'max_rows' : 'max_result_bytes';
    return { count: out.count, bytes: written.bytes, columns, warnings: [truncationWarning(guardrail, limited.limit, out.count), ...warnings], truncated: true };
  } catch (err) {
    for (const end of [...open]) end(err);
    open.clear();
    if (err instanceof GuardrailExceeded && !truncate) {
      // Past a limit: the source connection is closed at once (the abort's first step,
      // which stops a query that is sending rows); the cancel on the server, the
      // temporary table's drop (a MySQL load rolls back first) and the export's go on
      // while the caller records the FAILURE, which waits for none of them.
      err.cleanup = Promise.all([reader.abort(), writer?.abort(), sink?.abort()]).then(() => undefined);
      throw err;
    }
    await Promise.all([reader.abort(), writer?.abort(), sink?.abort()]);
    throw err;
  }
}

/** A batch's size: its encoded bytes, or for values, their text length (a cheap estimate of what the loader sends). */
function batchBytes(batch: Batch): number {
  let bytes = 0;
  if (batch.format !== 'rows') {
    for (const c of batch.chunks) bytes += c.length;
    return bytes;
  }
  for (const row of batch.rows) {
    for (const v of row) if (v !== null) bytes += v.length;
  }
  return bytes;
}

/**
 * The reader's next batch, or the writer's failure if that comes first: while
 * waiting for rows, a results database that goes away fails the attempt at once
 * rather than when the source next has rows (perhaps minutes later).
 *
 * Not `Promise.race([reader.next(), writer.broken])`: every race leaves a
 * reaction on the long-pending `broken` that holds the race's promise, and so
 * its batch, until the run ends; at 1M rows that kept every encoded batch alive
 * (over 100 MB).
 */
function nextOrBroken(reader: SourceReader, writer: ResultsWriter): () => Promise<Batch | undefined> {
  let failure: { err: unknown } | undefined;
  let failWaiting: ((err: unknown) => void) | undefined;
  void writer.broken.then((err) => {
    failure = { err };
    failWaiting?.(err);
  });
  return () => {
    if (failure) return Promise.reject(failure.err);
    const rows = reader.next();
    // If the writer's failure wins, this read still settles later (when abort stops it): unobserved.
    rows.catch(() => undefined);
    return new Promise<Batch | undefined>((resolve, reject) => {
      failWaiting = reject;
      rows.then(resolve, reject).finally(() => {
        if (failWaiting === reject) failWaiting = undefined;
      });
    });
  };
}
