import type { DbConfig, DbType, ResultsConfig } from '../lib/config/types.js';

/** The machine's servers (DESIGN.md): PostgreSQL with trust auth, MariaDB root without password. */
export const BENCH_SERVERS: Readonly<Record<DbType, { host: string; port: number; user: string }>> = {
  postgres: { host: '127.0.0.1', port: 5432, user: 'postgres' },
  mysql: { host: '127.0.0.1', port: 3306, user: 'root' },
};

/** A source config for `database` on the local server of `type`. */
export function benchDb(type: DbType, database: string): DbConfig {
  const { host, port, user } = BENCH_SERVERS[type];
  return {
    name: 'bench',
    type,
    dsn: `${type}://${user}@${host}:${port}/${database}`,
    connection: { host, port, user, password: '', database, params: {} },
    maxActive: 4,
    maxIdle: 2,
    connectTimeoutMs: 5_000,
  };
}

/** A results config for `database` on the local server of `type`. */
export function benchResults(type: DbType, database: string): ResultsConfig {
  return { ...benchDb(type, database), name: 'bench_results', resultsTable: 'results_%s', unlogged: false };
}

/** The task query of the benchmarks: the first `rows` rows of `src`, in the placeholder style of `type`. */
export function benchQuery(type: DbType): string {
  return `SELECT id, amount, label, at FROM src WHERE id <= ${type === 'postgres' ? '$1' : '?'}`;
}
