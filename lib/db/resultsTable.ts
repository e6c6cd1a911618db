import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { destroyMysqlConnection, mysqlConnection, mysqlQuery } from './mysqlQuery.js';
import { assertTableName, quoteIdent } from './quoteIdent.js';

/** How long a DROP may wait for readers of the table before it fails (instead of queueing every later reader behind it). */
const LOCK_TIMEOUT_S = 30;

/**
 * The results table of a job: the config's `results_table` pattern with its
 * `%s` replaced by the job ID (`results_%s` + `abc` -> `results_abc`).
 *
 * @throws Error when the name is not 1 to 63 of `[A-Za-z0-9_:-]`.
 */
export function resultsTableName(results: ResultsConfig, jobId: string): string {
  // A function replacement: a job ID's `$&` or `$'` must not be read as a pattern.
  const name = results.resultsTable.includes('%s') ? results.resultsTable.replace('%s', () => jobId) : `${results.resultsTable}${jobId}`;
  assertTableName(name);
  return name;
}

/**
 * Drops a results table if it exists (TTL expiry, a job that finished after
 * being cancelled). Waits at most 30 s for readers of the table.
 */
export async function dropResultsTable(pools: DbPools, results: ResultsConfig, table: string): Promise<void> {
  assertTableName(table);
  const sql = `DROP TABLE IF EXISTS ${quoteIdent(results.type, table)}`;
  if (results.type === 'postgres') {
    const client = await pools.pg(results).connect();
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${LOCK_TIMEOUT_S * 1000}`);
      await client.query(sql);
      await client.query('COMMIT');
      client.release();
    } catch (err) {
      await client.query('ROLLBACK').then(
        () => client.release(),
        () => client.release(true),
      );
      throw err;
    }
    return;
  }
  const conn = await mysqlConnection(pools.mysql(results).pool);
  try {
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${LOCK_TIMEOUT_S}`);
    await mysqlQuery(conn, sql);
    await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
    conn.release();
  } catch (err) {
    destroyMysqlConnection(conn);
    throw err;
  }
}
