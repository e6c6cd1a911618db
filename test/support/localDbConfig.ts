import type { DbConfig, DbType, ResultsConfig } from '../../lib/config/types.js';

/**
 * A `[db.NAME]` config for a database on a server of this machine (a private one
 * a test started, on its own port): PostgreSQL as `postgres`, MariaDB as `root`,
 * no password. Pools are kept by config name, so each server's configs need names
 * of their own.
 */
export function localDbConfig(type: DbType, port: number, database: string, options: { name?: string; maxActive?: number; connectTimeoutMs?: number } = {}): DbConfig {
  const user = type === 'postgres' ? 'postgres' : 'root';
  return {
    name: options.name ?? `${type}_${database}`,
    type,
    dsn: `${type}://${user}@127.0.0.1:${port}/${database}`,
    connection: { host: '127.0.0.1', port, user, password: '', database, params: {} },
    maxActive: options.maxActive ?? 3,
    maxIdle: 2,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
  };
}

/** The same database as a `[results.NAME]` config (tables `results_%s`, logged). */
export const asResults = (db: DbConfig): ResultsConfig => ({ ...db, resultsTable: 'results_%s', unlogged: false });
