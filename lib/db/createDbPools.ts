import type { DbConfig } from '../config/types.js';
import type { DbPoolOptions, DbPools, OwnedPool } from './port/dbPools.js';

export type { DbPoolOptions, DbPools, OwnedPool } from './port/dbPools.js';

/**
 * The pools of the HTTP API's functions: 2 connections per database at most (a
 * results page, or a cancel's reads and drops; kills have their own control
 * pool). Workers keep `max_active`, which their queue's concurrency sizes.
 */
export const API_POOL_OPTIONS: Readonly<DbPoolOptions> = Object.freeze({ maxActive: 2 });

/** Creates the lazy pool cache. */
export function createDbPools(options: DbPoolOptions = {}): DbPools {
  const pools = new Map<string, OwnedPool<unknown>>();
  let ended = false;
  return {
    options,
    pooled<P>(db: DbConfig, use: string, create: () => OwnedPool<P>): P {
      if (ended) throw new Error('database pools were closed');
      // Only the functions with database access resolve secrets at cold start (lib/loadApp.ts).
      if (db.unresolvedSecrets) {
        throw new Error(`${db.name}: its dsn's secrets (${db.unresolvedSecrets.join(', ')}) are not resolved in this function`);
      }
      const key = `${use}:${'resultsTable' in db ? 'results' : 'db'}:${db.name}`;
      let owned = pools.get(key) as OwnedPool<P> | undefined;
      if (!owned) {
        owned = create();
        pools.set(key, owned);
      }
      return owned.pool;
    },
    async end() {
      ended = true;
      const closing = [...pools.values()].map((p) => p.close());
      pools.clear();
      await Promise.allSettled(closing);
    },
  };
}
