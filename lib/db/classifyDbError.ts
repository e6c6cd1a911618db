import { TIME_BUDGET_CODE } from './timeBudget.js';

/**
 * What a failed task attempt means for its job:
 * - timeout: the source's statement timeout stopped the query (retrying needs more time);
 * - cancelled: someone killed the query on purpose (never retried);
 * - retryable: the database or the network hiccupped (connection lost, too busy,
 *   deadlock, serialization failure, lock timeout);
 * - fatal: anything else (syntax error, unknown table, bad data, read-only violation).
 */
export type DbErrorKind = 'timeout' | 'cancelled' | 'retryable' | 'fatal';

/** The kind of a failure and the message to record on the job. */
export interface ClassifiedDbError {
  kind: DbErrorKind;
  /** The database's (or socket's) own message. */
  message: string;
}

/** PostgreSQL SQLSTATE classes (first two characters) that are worth another try. */
const PG_RETRYABLE_CLASSES = new Set([
  '08', // connection exception
  '53', // insufficient resources (too many connections, out of memory, disk full)
  '58', // system error (I/O)
]);

/** PostgreSQL SQLSTATEs that are worth another try. */
const PG_RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available (lock_timeout while swapping results tables)
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '57P05', // idle_session_timeout
  '25P03', // idle_in_transaction_session_timeout
]);

const PG_QUERY_CANCELED = '57014';
const PG_STATEMENT_TIMEOUT_MESSAGE = 'canceling statement due to statement timeout';

/** MySQL/MariaDB error numbers with a meaning of their own. */
const MYSQL_ERRNO: ReadonlyMap<number, DbErrorKind> = new Map([
  [1969, 'timeout'], // ER_STATEMENT_TIMEOUT (MariaDB max_statement_time)
  [3024, 'timeout'], // ER_QUERY_TIMEOUT (MySQL max_execution_time)
  [1317, 'cancelled'], // ER_QUERY_INTERRUPTED (KILL QUERY)
  [1040, 'retryable'], // ER_CON_COUNT_ERROR: too many connections
  [1053, 'retryable'], // ER_SERVER_SHUTDOWN
  [1152, 'retryable'], // ER_ABORTING_CONNECTION
  [1158, 'retryable'], // ER_NET_READ_ERROR
  [1159, 'retryable'], // ER_NET_READ_INTERRUPTED
  [1160, 'retryable'], // ER_NET_ERROR_ON_WRITE
  [1161, 'retryable'], // ER_NET_WRITE_INTERRUPTED
  [1203, 'retryable'], // ER_TOO_MANY_USER_CONNECTIONS
  [1205, 'retryable'], // ER_LOCK_WAIT_TIMEOUT
  [1213, 'retryable'], // ER_LOCK_DEADLOCK
  [1927, 'retryable'], // ER_CONNECTION_KILLED (MariaDB)
  [2002, 'retryable'], // CR_CONNECTION_ERROR
  [2003, 'retryable'], // CR_CONN_HOST_ERROR
  [2006, 'retryable'], // CR_SERVER_GONE_ERROR
  [2013, 'retryable'], // CR_SERVER_LOST
  [2055, 'retryable'], // CR_SERVER_LOST_EXTENDED
  [1064, 'fatal'], // ER_PARSE_ERROR
  [1146, 'fatal'], // ER_NO_SUCH_TABLE
  [1054, 'fatal'], // ER_BAD_FIELD_ERROR
]);

/** Error codes without a number: mysql2's own, and Node's socket and DNS errors. */
const CODES: ReadonlyMap<string, DbErrorKind> = new Map([
  [TIME_BUDGET_CODE, 'timeout'],
  ['ER_CON_COUNT_ERROR', 'retryable'],
  ['PROTOCOL_CONNECTION_LOST', 'retryable'],
  ['PROTOCOL_SEQUENCE_TIMEOUT', 'retryable'],
  ['ECONNREFUSED', 'retryable'],
  ['ECONNRESET', 'retryable'],
  ['ETIMEDOUT', 'retryable'],
  ['EHOSTUNREACH', 'retryable'],
  ['ENETUNREACH', 'retryable'],
  ['EPIPE', 'retryable'],
  ['EAI_AGAIN', 'retryable'],
]);

/** pg's own messages when a connection fails or breaks (they carry no code). */
const PG_CLIENT_RETRYABLE = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error/,
];

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  errno?: unknown;
  severity?: unknown;
  sqlMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

/**
 * Classifies an error from pg, mysql2 or a socket by SQLSTATE (PostgreSQL), errno
 * (MySQL/MariaDB) or code (Node), looking through `cause` of wrapping errors.
 * Unknown errors are fatal: retrying what we do not understand only repeats it.
 */
export function classifyDbError(err: unknown): ClassifiedDbError {
  for (let e: unknown = err, depth = 0; isObject(e) && depth < 4; e = e.cause, depth++) {
    const kind = kindOf(e);
    if (kind) return { kind, message: messageOf(e) };
  }
  return { kind: 'fatal', message: messageOf(err) };
}

function kindOf(e: ErrorLike): DbErrorKind | undefined {
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    const known = CODES.get(code);
    if (known) return known;
  }
  if (typeof e.errno === 'number' && e.errno > 0) {
    const known = MYSQL_ERRNO.get(e.errno);
    if (known) return known;
    if (typeof e.sqlMessage === 'string') return 'fatal';
  }
  // pg's DatabaseError carries a severity next to the SQLSTATE.
  if (code !== undefined && typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (code === PG_QUERY_CANCELED) {
      return messageOf(e).includes(PG_STATEMENT_TIMEOUT_MESSAGE) ? 'timeout' : 'cancelled';
    }
    if (PG_RETRYABLE.has(code) || PG_RETRYABLE_CLASSES.has(code.slice(0, 2))) return 'retryable';
    return 'fatal';
  }
  const message = messageOf(e);
  if (PG_CLIENT_RETRYABLE.some((re) => re.test(message))) return 'retryable';
  return undefined;
}

function messageOf(err: unknown): string {
  if (!isObject(err)) return String(err);
  if (typeof err.message === 'string' && err.message !== '') return err.message;
  // Node reports a refused dual-stack connect as an AggregateError with no message.
  if (Array.isArray(err.errors)) {
    const inner = err.errors.map(messageOf).filter((m) => m !== '');
    if (inner.length > 0) return inner.join('; ');
  }
  return typeof err.code === 'string' ? err.code : String(err);
}

function isObject(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null;
}
