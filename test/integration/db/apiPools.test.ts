import { afterAll, expect, it } from 'vitest';
import { API_POOL_OPTIONS, createDbPools } from '../../../lib/db/createDbPools.js';
import { mysqlPool } from '../../../lib/db/mysql/pools.js';
import { pgPool } from '../../../lib/db/postgres/pools.js';
import { localDbConfig } from '../../support/testDatabases.js';

/**
 * The HTTP API's functions open few connections per database, whatever
 * `max_active` says: many containers with `max_active` each would crowd the
 * results database. Workers keep `max_active`.
 */
const api = createDbPools(API_POOL_OPTIONS);
const worker = createDbPools();
afterAll(async () => {
  await api.end();
  await worker.end();
});

it('caps the API functions\' pools at 2 connections, and leaves the workers\' at max_active', () => {
  const pg = localDbConfig('postgres', 5432, 'postgres', { maxActive: 25 });
  const my = localDbConfig('mysql', 3306, 'mysql', { maxActive: 25 });
  expect(pgPool(api, pg).options.max).toBe(2);
  expect(pgPool(worker, pg).options.max).toBe(25);
  const connectionLimit = (pool: ReturnType<typeof mysqlPool>) => (pool.pool as unknown as { config: { connectionLimit: number } }).config.connectionLimit;
  expect(connectionLimit(mysqlPool(api, my))).toBe(2);
  expect(connectionLimit(mysqlPool(worker, my))).toBe(25);
  // A smaller max_active stays as it is.
  expect(pgPool(api, localDbConfig('postgres', 5432, 'postgres', { name: 'one', maxActive: 1 })).options.max).toBe(1);
});
