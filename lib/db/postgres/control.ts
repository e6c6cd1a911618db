import type pg from 'pg';
import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../createDbPools.js';
import type { RunningQuery } from '../types.js';
import { pgRunName } from './dialect.js';

/** The parts of pg's (internal) Connection this check drives. */
interface PgConnection {
  parse(msg: { text: string }): void;
  describe(msg: { type: 'S'; name: string }): void;
  sync(): void;
}

/**
 * Parses and describes the unnamed statement, exactly as a run would parse it
 * (untyped `$n` get their types inferred the same way), without executing it.
 * SQL-level PREPARE would refuse `SELECT $1` for want of a parameter type.
 */
class PgPrepareCheck {
  #failed = false;
  readonly done: Promise<void>;
  #resolve: () => void = () => {};
  #reject: (err: unknown) => void = () => {};

  constructor(readonly text: string) {
    this.done = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  submit(connection: PgConnection): void {
    connection.parse({ text: this.text });
    connection.describe({ type: 'S', name: '' });
    connection.sync();
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyInResponse(): void {}
  handleCopyData(): void {}

  handleError(err: unknown): void {
    this.#failed = true;
    this.#reject(err);
  }

  handleReadyForQuery(): void {
    if (!this.#failed) this.#resolve();
  }
}

/** Parse + Describe of the unnamed statement on a task connection, without executing it. */
export async function pgPrepare(pools: DbPools, db: DbConfig, query: string): Promise<void> {
  const client = await pools.pg(db).connect();
  try {
    const check = new PgPrepareCheck(query);
    client.query(check as unknown as pg.Submittable);
    await check.done;
    client.release();
  } catch (err) {
    // A database error leaves the connection usable; anything else may not have.
    client.release(!(err instanceof Error && 'severity' in err));
    throw err;
  }
}

/**
 * `pg_cancel_backend(pid)` from the control pool (unlike a protocol cancel
 * request, it passes RDS Proxy); with a tag, only while that backend still runs
 * the same attempt.
 */
export async function pgCancel(pools: DbPools, db: DbConfig, running: RunningQuery): Promise<boolean> {
  const pool = pools.pgControl(db);
  const { rows } =
    running.tag === undefined
      ? await pool.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [running.connectionId])
      : await pool.query<{ ok: boolean }>('SELECT pg_cancel_backend(pid) AS ok FROM pg_stat_activity WHERE pid = $1 AND application_name = $2', [
          running.connectionId,
          pgRunName(running.tag),
        ]);
  return rows[0]?.ok === true;
}
