import type { DbConfig } from '../../config/types.js';

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
  /**
   * At most this many connections per database and use, whatever `max_active`
   * says (unset: `max_active`). The HTTP API's functions serve one request at a
   * time per container and need few; many containers with `max_active` each
   * would crowd the results database (see API_POOL_OPTIONS).
   */
  maxActive?: number;
}
