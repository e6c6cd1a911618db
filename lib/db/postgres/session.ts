import type pg from 'pg';

/**
 * Ends whatever transaction `client` is in and gives it back to its pool; a
 * client that cannot even roll back is closed instead. Never throws.
 */
export async function rollbackAndRelease(client: pg.PoolClient): Promise<void> {
  const clean = await client.query('ROLLBACK').then(
    () => true,
    () => false,
  );
  client.release(!clean);
}

/**
 * Runs `fn` in a transaction on a client of `pool` (`BEGIN` plus `setup`, e.g.
 * `SET LOCAL lock_timeout = ...`), commits and gives the client back; on any
 * failure rolls back (or closes the client) and rethrows.
 */
export async function withPgTransaction<T>(pool: pg.Pool, setup: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let result: T;
  try {
    await client.query(setup === '' ? 'BEGIN' : `BEGIN; ${setup}`);
    result = await fn(client);
    await client.query('COMMIT');
  } catch (err) {
    await rollbackAndRelease(client);
    throw err;
  }
  client.release();
  return result;
}
