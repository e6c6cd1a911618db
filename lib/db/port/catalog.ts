/**
 * The results catalog: a small table in each results database listing the
 * results tables it holds and when each expires. The worker registers a table
 * before writing it (with a provisional expiry) and again once the job succeeded
 * (with the job's own expiry); the sweeper drops what has expired.
 */
export const CATALOG_TABLE = 'sqljobber_catalog';

export interface CatalogEntry {
  table: string;
  jobId: string;
  expiresAt: Date;
  /**
   * The attempt that writes the table (`run_id#attempt`). Registering claims the
   * name for it: an older attempt's swap, cleanup or expiry move then leaves the
   * table alone (see `assertPgOwner`, `withMysqlCatalogLock`, `releaseResultsTable`).
   */
  owner?: string;
}

/** An attempt whose table name was claimed by a newer attempt or run: it must not swap its table in. */
export class SupersededError extends Error {
  constructor(table: string) {
    super(`results table "${table}" now belongs to a newer attempt or run of the job; this attempt's table is discarded`);
    this.name = 'SupersededError';
  }
}

/** What one sweep did: tables dropped (entries removed), and tables left for a later sweep with the reason. */
export interface SweepResult {
  dropped: number;
  skipped: string[];
}

export interface SweepOptions {
  /** Seconds a drop may wait for readers of its table before it is left for the next sweep (default 5). */
  lockWaitSeconds?: number;
  /** Called between a table's drop and the removal of its entry (tests stop a sweeper there). */
  afterDrop?: (table: string) => void | Promise<void>;
}


/** How long a sweeper waits for readers of a table it drops before skipping it until the next run. */
const DROP_LOCK_WAIT_S = 5;
/** How long a registration (or a fenced swap, a release) waits for a sweeper working on the same table. */
export const REGISTER_LOCK_WAIT_S = 30;
/** How long a DROP or a copy may wait for readers of the table before it fails (instead of queueing every later reader behind it). */
export const TABLE_LOCK_WAIT_S = 30;

/** Seconds a sweep's drop may wait for readers (at least 1). */
export const sweepLockWait = (o: SweepOptions): number => Math.max(1, Math.floor(o.lockWaitSeconds ?? DROP_LOCK_WAIT_S));
