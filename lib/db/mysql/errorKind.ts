import type { DbErrorKind, DbErrorLike } from '../port/dbErrorKind.js';

const NO_SUCH_TABLE = 1146;

/** MySQL/MariaDB error numbers with a meaning of their own. */
const ERRNO: ReadonlyMap<number, DbErrorKind> = new Map([
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
  [NO_SUCH_TABLE, 'fatal'], // ER_NO_SUCH_TABLE
  [1054, 'fatal'], // ER_BAD_FIELD_ERROR
]);

/** mysql2's own codes, which come without a number. */
const CODES: ReadonlyMap<string, DbErrorKind> = new Map([
  ['ER_CON_COUNT_ERROR', 'retryable'],
  ['PROTOCOL_CONNECTION_LOST', 'retryable'],
  ['PROTOCOL_SEQUENCE_TIMEOUT', 'retryable'],
]);

/**
 * What a MySQL/MariaDB error means, by its errno (any other server error is
 * fatal) or mysql2's code; undefined when it is not MySQL's.
 */
export function mysqlErrorKind(e: DbErrorLike): DbErrorKind | undefined {
  const known = typeof e.code === 'string' ? CODES.get(e.code) : undefined;
  if (known) return known;
  if (typeof e.errno === 'number' && e.errno > 0) return ERRNO.get(e.errno) ?? (typeof e.sqlMessage === 'string' ? 'fatal' : undefined);
  return undefined;
}

/** Whether a MySQL/MariaDB error is ER_NO_SUCH_TABLE (errno 1146). */
export function mysqlIsMissingTable(e: DbErrorLike): boolean {
  return e.errno === NO_SUCH_TABLE;
}
