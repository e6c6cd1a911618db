import type mysql from 'mysql2';

type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;
type Value = string | number | null;

/** Promise form of mysql2's callback `query` (text protocol; mysql2 escapes `values` into the text). */
export function mysqlQuery<T = unknown>(conn: Queryable, sql: string, values: Value[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    (conn as Pick<mysql.Pool, 'query'>).query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T)));
  });
}

/** Promise form of `execute`: a server-side prepared statement with bound values (cached per connection by mysql2). */
export function mysqlExecute<T = unknown>(conn: mysql.PoolConnection, sql: string, values: Value[]): Promise<T> {
  return new Promise((resolve, reject) => {
    conn.execute(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T)));
  });
}

/** What a prepared statement tells of itself: its result columns (mysql2's column definitions). */
export interface MysqlPrepared {
  columns: unknown[];
}

/** Promise form of `prepare`: a server-side prepared statement, cached per connection by mysql2 under `options`. */
export function mysqlPrepare(conn: mysql.PoolConnection, options: { sql: string; rowsAsArray?: boolean }): Promise<MysqlPrepared> {
  // mysql2's typings take only the SQL text, though `prepare` takes the options `execute` and `unprepare` key by.
  const prepare = conn.prepare.bind(conn) as unknown as (o: typeof options, cb: (err: unknown, statement: MysqlPrepared) => void) => void;
  return new Promise((resolve, reject) => {
    prepare(options, (err, statement) => (err ? reject(err) : resolve(statement)));
  });
}

/** Takes a connection from a mysql2 pool; give it back with `release()` (or `destroy()` if it may be unusable). */
export function mysqlConnection(pool: mysql.Pool): Promise<mysql.PoolConnection> {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn)));
  });
}

/**
 * Closes a connection for good, now: mysql2's `destroy()` only half-closes the
 * socket, and a server blocked sending rows to a paused socket would keep the
 * query running until net_write_timeout. Closing with unread data resets the
 * connection, which stops the server's query at once.
 */
export function destroyMysqlConnection(conn: mysql.PoolConnection): void {
  // A late network error on a connection nobody uses must not crash the process.
  conn.on('error', () => {});
  conn.destroy();
  (conn as unknown as { stream?: { destroy(): void } }).stream?.destroy();
}

/**
 * Runs `fn` on a connection of `pool`: given back when `fn` succeeds, closed for
 * good (see `destroyMysqlConnection`) when it throws, since a failed statement
 * may have left a result set, a lock or a half-read packet on it.
 */
export async function withMysqlConnection<T>(pool: mysql.Pool, fn: (conn: mysql.PoolConnection) => Promise<T>): Promise<T> {
  const conn = await mysqlConnection(pool);
  let result: T;
  try {
    result = await fn(conn);
  } catch (err) {
    destroyMysqlConnection(conn);
    throw err;
  }
  conn.release();
  return result;
}
