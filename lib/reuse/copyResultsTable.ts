import type { ResultsConfig } from '../config/types.js';
import type { DbPools } from '../db/createDbPools.js';
import { destroyMysqlConnection, mysqlConnection, mysqlQuery } from '../db/mysqlQuery.js';
import { assertTableName, quoteIdent } from '../db/quoteIdent.js';

/** How long the copy may wait for locks (readers of the target, a sweeper's drop) before it fails. */
const LOCK_TIMEOUT_S = 30;

/**
 * Copies a results table into a new one in the same results database (column
 * types, primary key and rows), replacing any table of that name. PostgreSQL: in
 * one transaction, so readers see the old table or the whole new one. MySQL and
 * MariaDB commit each DDL statement, so the copy goes to a side name first and is
 * renamed into place. Returns the row count.
 *
 * @throws the database's error, e.g. when the source table is gone (the caller then runs the query).
 */
export async function copyResultsTable(pools: DbPools, results: ResultsConfig, from: string, to: string): Promise<number> {
  assertTableName(from);
  assertTableName(to);
  const q = (name: string) => quoteIdent(results.type, name);
  if (results.type === 'postgres') {
    const client = await pools.pg(results).connect();
    try {
      await client.query(`BEGIN; SET LOCAL lock_timeout = ${LOCK_TIMEOUT_S * 1000}`);
      await client.query(`DROP TABLE IF EXISTS ${q(to)}`);
      await client.query(`CREATE ${results.unlogged ? 'UNLOGGED ' : ''}TABLE ${q(to)} (LIKE ${q(from)} INCLUDING ALL)`);
      const out = await client.query(`INSERT INTO ${q(to)} SELECT * FROM ${q(from)}`);
      await client.query('COMMIT');
      client.release();
      return out.rowCount ?? 0;
    } catch (err) {
      await client.query('ROLLBACK').then(
        () => client.release(),
        () => client.release(true),
      );
      throw err;
    }
  }
  const side = `${to.slice(0, 50)}_c${Date.now().toString(36).slice(-6)}`;
  const conn = await mysqlConnection(pools.mysql(results).pool);
  try {
    await mysqlQuery(conn, `SET SESSION lock_wait_timeout = ${LOCK_TIMEOUT_S}`);
    await mysqlQuery(conn, `CREATE TABLE ${q(side)} LIKE ${q(from)}`);
    const out = await mysqlQuery<{ affectedRows: number }>(conn, `INSERT INTO ${q(side)} SELECT * FROM ${q(from)}`);
    const exists = await mysqlQuery<unknown[]>(conn, 'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [to]);
    if (exists.length > 0) {
      const old = `${to.slice(0, 50)}_o${Date.now().toString(36).slice(-6)}`;
      await mysqlQuery(conn, `RENAME TABLE ${q(to)} TO ${q(old)}, ${q(side)} TO ${q(to)}`);
      await mysqlQuery(conn, `DROP TABLE ${q(old)}`);
    } else {
      await mysqlQuery(conn, `RENAME TABLE ${q(side)} TO ${q(to)}`);
    }
    await mysqlQuery(conn, 'SET SESSION lock_wait_timeout = DEFAULT');
    conn.release();
    return out.affectedRows;
  } catch (err) {
    await mysqlQuery(conn, `DROP TABLE IF EXISTS ${q(side)}`).catch(() => undefined);
    destroyMysqlConnection(conn);
    throw err;
  }
}
