import { allDialects } from './dialects.js';
import { dbErrorMessage, type DbErrorKind, type DbErrorLike } from './port/dbErrorKind.js';
import { TIME_BUDGET_CODE } from './shared/timeBudget.js';

export type { DbErrorKind } from './port/dbErrorKind.js';

/** The kind of a failure and the message to record on the job. */
export interface ClassifiedDbError {
  kind: DbErrorKind;
  /** The database's (or socket's) own message. */
  message: string;
}

/** Codes of our own and of Node's socket and DNS errors. */
const CODES: ReadonlyMap<string, DbErrorKind> = new Map([
  [TIME_BUDGET_CODE, 'timeout'],
  ['ECONNREFUSED', 'retryable'],
  ['ECONNRESET', 'retryable'],
  ['ETIMEDOUT', 'retryable'],
  ['EHOSTUNREACH', 'retryable'],
  ['ENETUNREACH', 'retryable'],
  ['EPIPE', 'retryable'],
  ['EAI_AGAIN', 'retryable'],
]);

/**
 * Classifies an error from a driver or a socket: Node's codes here, each
 * engine's own (SQLSTATE, errno, the driver's codes) by its dialect's
 * `errorKind`, looking through `cause` of wrapping errors. Unknown errors are
 * fatal: retrying what we do not understand only repeats it.
 */
export function classifyDbError(err: unknown): ClassifiedDbError {
  for (let e: unknown = err, depth = 0; isObject(e) && depth < 4; e = e.cause, depth++) {
    const kind = kindOf(e);
    if (kind) return { kind, message: dbErrorMessage(e) };
  }
  return { kind: 'fatal', message: dbErrorMessage(err) };
}

function kindOf(e: DbErrorLike): DbErrorKind | undefined {
  const known = typeof e.code === 'string' ? CODES.get(e.code) : undefined;
  if (known) return known;
  for (const dialect of allDialects()) {
    const kind = dialect.errorKind(e);
    if (kind) return kind;
  }
  return undefined;
}

function isObject(value: unknown): value is DbErrorLike {
  return typeof value === 'object' && value !== null;
}
