import { dbErrorMessage, type DbErrorKind, type DbErrorLike } from '../port/dbErrorKind.js';

/** SQLSTATE classes (first two characters) that are worth another try. */
const RETRYABLE_CLASSES = new Set([
  '08', // connection exception
  '53', // insufficient resources (too many connections, out of memory, disk full)
  '58', // system error (I/O)
]);

/** SQLSTATEs that are worth another try. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout while swapping results tables)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

const QUERY_CANCELED = '57014';
const UNDEFINED_TABLE = '42P01';
const STATEMENT_TIMEOUT_MESSAGE = 'canceling statement due to statement timeout';

/** pg's own messages when a connection fails or breaks (they carry no code). */
const CLIENT_RETRYABLE = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Client has encountered a connection error/];

/**
 * What a PostgreSQL error means, by its SQLSTATE (pg's DatabaseError carries a
 * severity next to it), or by pg's own message for a broken connection; undefined
 * when it is not PostgreSQL's.
 */
export function pgErrorKind(e: DbErrorLike): DbErrorKind | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined && typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (code === QUERY_CANCELED) return dbErrorMessage(e).includes(STATEMENT_TIMEOUT_MESSAGE) ? 'timeout' : 'cancelled';
    if (RETRYABLE.has(code) || RETRYABLE_CLASSES.has(code.slice(0, 2))) return 'retryable';
    return 'fatal';
  }
  const message = dbErrorMessage(e);
  return CLIENT_RETRYABLE.some((re) => re.test(message)) ? 'retryable' : undefined;
}

/** Whether a PostgreSQL error is undefined_table (SQLSTATE 42P01). */
export function pgIsMissingTable(e: DbErrorLike): boolean {
  return e.code === UNDEFINED_TABLE;
}
