import type pg from 'pg';
import type { DbConfig } from '../config/types.js';
import type { DbPools } from './createDbPools.js';
import { mysqlConnection } from './mysqlQuery.js';

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

/**
 * Checks that a task's query is valid on its database without running it
 * (PostgreSQL: Parse + Describe of the unnamed statement; MySQL/MariaDB: a
 * server-side prepare, then close).
 *
 * @throws the database's error (syntax error, unknown table or column...).
 */
export async function prepareTask(pools: DbPools, db: DbConfig, query: string): Promise<void> {
  if (query.trim() === '') throw new Error('the task query is empty');
  if (db.type === 'postgres') {
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
    return;
  }
  const conn = await mysqlConnection(pools.mysql(db).pool);
  try {
    await new Promise<void>((resolve, reject) => {
      conn.prepare(query, (err) => (err ? reject(err) : resolve()));
    });
    conn.unprepare(query);
  } finally {
    conn.release();
  }
}
