/**
 * What a failed task attempt means for its job:
 * - timeout: the source's statement timeout stopped the query (retrying needs more time);
 * - cancelled: someone killed the query on purpose (never retried);
 * - retryable: the database or the network hiccupped (connection lost, too busy,
 *   deadlock, serialization failure, lock timeout);
 * - fatal: anything else (syntax error, unknown table, bad data, read-only violation).
 */
export type DbErrorKind = 'timeout' | 'cancelled' | 'retryable' | 'fatal';

/** The fields of an error from a driver or a socket that say what it was. */
export interface DbErrorLike {
  message?: unknown;
  code?: unknown;
  errno?: unknown;
  severity?: unknown;
  sqlMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/** An error's message: its own, a message-less AggregateError's inner ones, or its code. */
export function dbErrorMessage(err: unknown): string {
  if (typeof err !== 'object' || err === null) return String(err);
  const e = err as DbErrorLike;
  if (typeof e.message === 'string' && e.message !== '') return e.message;
  // Node reports a refused dual-stack connect as an AggregateError with no message.
  if (Array.isArray(e.errors)) {
    const inner = e.errors.map(dbErrorMessage).filter((m) => m !== '');
    if (inner.length > 0) return inner.join('; ');
  }
  return typeof e.code === 'string' ? e.code : String(err);
}
