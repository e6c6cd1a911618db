import type { DbConfig, ResultsConfig } from '../lib/config/types.js';

/** Configs for the local PostgreSQL (trust auth) used by the benchmarks. */
export function benchDb(database: string): DbConfig {
  return {
    name: 'bench',
    type: 'postgres',
    dsn: `postgres://postgres@127.0.0.1:5432/${database}`,
    connection: { host: '127.0.0.1', port: 5432, user: 'postgres', password: '', database, params: {} },
    maxActive: 4,
    maxIdle: 2,
    connectTimeoutMs: 5_000,
  };
}

export function benchResults(database: string, unlogged = false): ResultsConfig {
  return { ...benchDb(database), name: 'bench_results', resultsTable: 'results_%s', unlogged };
}

/** The task query of the benchmark, limited to the first `rows` rows of `src`. */
export const BENCH_QUERY = 'SELECT id, amount, label, at FROM src WHERE id <= $1';
