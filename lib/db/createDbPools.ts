import type { DbConfig } from '../config/types.js';

/** A pool an engine made, and how to close it. */
export interface OwnedPool<P> {
  pool: P;
  close(): Promise<void>;
}

/**
 * Connection pools, one per configured database and use, created on first use
 * and kept for the life of the process (a warm Lambda reuses them). Passed to
 * every database function; there are no module-level pools. Each engine makes
 * its own (see `pgPool`, `mysqlPool` and their control pools in the engine
 * folders); this cache only keeps and closes them.
 */
export interface DbPools {
  /** The options this cache was made with. */
  readonly options: DbPoolOptions;
  /**
   * The pool of `db` for `use` (e.g. `pg`, `pg-control`), made by `create` on
   * first use. `[db.x]` and `[results.x]` may share a name but not a pool.
   */
  pooled<P>(db: DbConfig, use: string, create: () => OwnedPool<P>): P;
  /** Closes every pool; the object must not be used afterwards. */
  end(): Promise<void>;
}

/** Options of `createDbPools`; the defaults are what production uses. */
export interface DbPoolOptions {
  /** Ask MySQL servers for `LOAD DATA LOCAL INFILE` (default true); false forces multi-row INSERT. */
  mysqlLocalInfile?: boolean;
}

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
