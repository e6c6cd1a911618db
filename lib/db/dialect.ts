import type { DbType } from '../config/types.js';

/**
 * What SQL text looks like on one engine: quoting, naming limits, how a run is
 * tagged. Pure code, no driver: the API, config checks and the task loader use
 * it without loading `pg` or `mysql2`. Chosen once per database by `dialectFor`.
 */
export interface Dialect {
  readonly type: DbType;
  /** Quotes an identifier (PostgreSQL `"a""b"`, MySQL `` `a``b` ``). */
  quoteIdent(name: string): string;
  /** The placeholder of the n-th (1-based) bound value in a statement we write. */
  placeholder(n: number): string;
  /** How long an identifier may be, and which characters it cannot hold. */
  readonly identifiers: {
    /** Limit counted in UTF-8 bytes (PostgreSQL) or in characters (MySQL). */
    readonly max: number;
    readonly unit: 'bytes' | 'chars';
    /** MySQL identifiers hold only the Basic Multilingual Plane and no trailing spaces. */
    readonly bmpOnly: boolean;
  };
  /** Why a task argument cannot be sent to this engine, or undefined (PostgreSQL text cannot hold NUL). */
  argumentProblem(value: string): string | undefined;
}

/** Every run's marker starts with this, in the process list or the application name. */
export const RUN_TAG_PREFIX = 'sql-jobber ';

/** Quotes `name` with `quote`, doubling it inside; NUL is refused (no engine stores it in a name). */
export function quoteWith(quote: string, name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `${quote}${name.replaceAll(quote, quote + quote)}${quote}`;
}
