import { uniqueColumnNames } from './columnNames.js';
import type { DbPools } from './createDbPools.js';
import { engineFor } from './engines.js';
import { assertTableName } from './quoteIdent.js';
import type { ResultsWriter } from './resultsWriter.js';
import type { SourceReader } from './sourceReader.js';
import { beforeDeadline } from './timeBudget.js';
import type { Batch, RunTaskInput, RunTaskResult } from './types.js';

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
 * driver gave it (see `classifyDbError`).
 */
export async function runTask(pools: DbPools, input: RunTaskInput): Promise<RunTaskResult> {
  assertTableName(input.table);
  const { source, results, timeoutMs } = input;
  const deadline = Date.now() + timeoutMs;
  const reader = await engineFor(source.type).openSource(pools, source, {
    query: input.query,
    args: input.args,
    timeoutMs,
    onStarted: input.onStarted,
  });
  const target = engineFor(results.type);
  let writer: ResultsWriter | undefined;
  try {
    const columns = uniqueColumnNames(target.dialect, reader.columns);
    writer = await target.openWriter(pools, results, { table: input.table, columns, timeoutMs, owner: input.owner, directFormats: reader.directFormats });
    reader.setFormat(writer.format, results.type, writer.transform);
    const next = nextOrBroken(reader, writer);
    for (let batch = await next(); batch; batch = await next()) {
      await writer.write(batch);
    }
    await reader.finish();
    // The index build and the swap count against the attempt's time too: a query
    // that used most of it must not run the function into its own timeout.
    const out = await beforeDeadline(writer.commit(deadline), deadline, 'writing the results table', timeoutMs);
    return { count: out.count, columns, warnings: out.warnings };
  } catch (err) {
    await Promise.all([reader.abort(), writer?.abort()]);
    throw err;
  }
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
