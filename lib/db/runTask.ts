import { uniqueColumnNames } from './columnTypes.js';
import type { DbPools } from './createDbPools.js';
import { openMysqlSource } from './mysqlSource.js';
import { openMysqlWriter } from './mysqlWriter.js';
import { openPgSource } from './pgSource.js';
import { openPgWriter } from './pgWriter.js';
import { assertTableName } from './quoteIdent.js';
import type { ResultsWriter } from './resultsWriter.js';
import type { SourceReader } from './sourceReader.js';
import type { RunTaskInput, RunTaskResult } from './types.js';

/**
 * Runs a task query on its source and writes every row to the job's results table.
 *
 * The query runs in a READ ONLY transaction with a server-side statement timeout,
 * its arguments bound. Rows stream from the source socket straight into the
 * results database's bulk loader (COPY, or LOAD DATA LOCAL INFILE), encoded as
 * they arrive, with backpressure both ways, so memory does not grow with the
 * result. The table is built under a temporary name and swapped in at the end:
 * readers see the old table or the complete new one, never a partial one. On any
 * failure the query is stopped, the temporary table dropped and the error
 * rethrown as the driver gave it (see `classifyDbError`).
 */
export async function runTask(pools: DbPools, input: RunTaskInput): Promise<RunTaskResult> {
  assertTableName(input.table);
  const { source, results } = input;
  const open = source.type === 'postgres' ? openPgSource : openMysqlSource;
  const reader: SourceReader = await open(pools, source, input.query, input.args, input.timeoutMs, input.onStarted);
  let writer: ResultsWriter | undefined;
  try {
    const columns = uniqueColumnNames(results.type, reader.columns);
    writer =
      results.type === 'postgres'
        ? await openPgWriter(pools, results, input.table, columns, input.owner)
        : await openMysqlWriter(pools, results, input.table, columns, input.timeoutMs, input.owner);
    reader.setFormat(writer.format);
    // While waiting for rows, a results database that goes away fails the attempt
    // at once rather than when the source next has rows (perhaps minutes later).
    const broken = writer.broken.then((err) => {
      throw err;
    });
    broken.catch(() => undefined);
    const next = () => {
      const rows = reader.next();
      // If `broken` wins, this read still settles later (when abort stops it): unobserved.
      rows.catch(() => undefined);
      return Promise.race([rows, broken]);
    };
    for (let batch = await next(); batch; batch = await next()) {
      await writer.write(batch);
    }
    await reader.finish();
    const count = await writer.commit();
    return { count, columns, warnings: [] };
  } catch (err) {
    await Promise.all([reader.abort(), writer?.abort()]);
    throw err;
  }
}
