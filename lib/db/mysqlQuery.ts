import type mysql from 'mysql2';

type Queryable = Pick<mysql.Pool, 'query'> | Pick<mysql.PoolConnection, 'query'>;

/** Promise form of mysql2's callback `query` (text protocol; `values` are escaped by mysql2, keep them for identifiers-free literals). */
export function mysqlQuery<T = unknown>(conn: Queryable, sql: string, values?: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    conn.query(sql, values ?? [], (err: unknown, rows: unknown) => (err ? reject(err) : resolve(rows as T)));
  });
}

/** Promise form of `execute`: a server-side prepared statement with bound values. */
export function mysqlExecute<T = unknown>(conn: mysql.PoolConnection, sql: string, values: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    conn.execute(sql, values, (err: unknown, rows: unknown) => (err ? reject(err) : resolve(rows as T)));
  });
}

export function mysqlConnection(pool: mysql.Pool): Promise<mysql.PoolConnection> {
  return new Promise((resolve, reject) => {
    pool.getConnection((err, conn) => (err ? reject(err) : resolve(conn)));
  });
}
