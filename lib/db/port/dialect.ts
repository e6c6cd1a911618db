import type { DbType } from '../../config/types.js';
import type { DbErrorKind, DbErrorLike } from './dbErrorKind.js';

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
  /** How a task's typed parameters (lib/tasks/params) meet this engine. */
  readonly parameters: ParameterRules;
  /** How its DSNs are written. */
  readonly dsn: DsnRules;
  /** The names a config's `type` may give it (`postgres`, `postgresql`). */
  readonly names: readonly string[];
  /** How its SQL text is tokenised, as far as finding placeholders goes. */
  readonly lexicon: SqlLexicon;
  /** What an error of this engine's server or driver means for the job; undefined when the error is not its own. */
  errorKind(e: DbErrorLike): DbErrorKind | undefined;
  /** Whether an error says that the table a statement named does not exist (a results table dropped between two reads). */
  isMissingTable(e: DbErrorLike): boolean;
}

/** How typed task parameters (`-- param:`, lib/tasks/params) are bound on an engine. */
export interface ParameterRules {
  /** Why a declared type (`kind` as written: int, text, timestamptz...; `array` for TYPE[]) cannot be bound here, or undefined. */
  cannotBind(kind: string, array: boolean): string | undefined;
  /** The text it reads as a boolean: PostgreSQL's `true`/`false`; MySQL's `1`/`0` (its BOOL is TINYINT(1), and 'true' reads as 0). */
  booleanText(value: boolean): string;
}

/** What a placeholder scan needs to know of an engine's SQL text (lib/db/countArgs.ts). */
export interface SqlLexicon {
  /** `$1..$n` (PostgreSQL, which also has `$tag$` quotes) or `?`. */
  readonly placeholders: 'dollar' | 'question';
  /** `--` starts a comment only before whitespace (MySQL). */
  readonly dashCommentNeedsSpace: boolean;
  /** `#` starts a comment (MySQL). */
  readonly hashComments: boolean;
  /** Block comments nest (PostgreSQL). */
  readonly nestedBlockComments: boolean;
  /** Backslashes escape in every '...' string (MySQL), or only in E'...' ones (PostgreSQL). */
  readonly stringBackslashes: 'always' | 'e-strings';
  /** "..." is a string (MySQL) or an identifier (PostgreSQL). */
  readonly doubleQuoted: 'string' | 'identifier';
  /** `` `...` `` is an identifier (MySQL). */
  readonly backtickIdentifiers: boolean;
  /** What to tell a task that mixes this engine's placeholders with the other style (`foreign` is one of those). */
  mixedPlaceholders(foreign: string): string;
}

/** Every run's marker starts with this, in the process list or the application name. */
export const RUN_TAG_PREFIX = 'sql-jobber ';

/** The longest marker an engine shows whole: PostgreSQL cuts application_name at 63 bytes. */
const RUN_TAG_MAX = 63;

/**
 * One run's marker (`RunningQuery.tag`): 16 random hex digits, then the run's
 * label (its job ID, with the tenant's tag) reduced to `[A-Za-z0-9_.~-]` and cut
 * so that RUN_TAG_PREFIX and the tag fit in RUN_TAG_MAX: safe inside a quoted
 * setting or a comment, and the same text a cancel matches on.
 */
export function runTag(random: string, label?: string): string {
  if (!label) return random;
  const room = RUN_TAG_MAX - RUN_TAG_PREFIX.length - random.length - 1;
  return `${random} ${label.replace(/[^A-Za-z0-9_.~-]/g, '_').slice(0, room)}`;
}

/** Quotes `name` with `quote`, doubling it inside; NUL is refused (no engine stores it in a name). */
export function quoteWith(quote: string, name: string): string {
  if (name.includes('\0')) throw new Error('an identifier cannot contain a NUL character');
  return `${quote}${name.replaceAll(quote, quote + quote)}${quote}`;
}

/** A DSN taken apart: the connection fields it names (as written) and the other parameters. */
export interface DsnParts {
  fields: { host?: string; port?: string; user?: string; password?: string; database?: string };
  params: Record<string, string>;
}

/** How an engine's DSNs are written (see lib/config/parseDsn.ts). */
export interface DsnRules {
  readonly defaultPort: number;
  /** URL schemes it accepts (`postgres://`...). */
  readonly schemes: readonly string[];
  /** What the forms look like, for error messages. */
  readonly form: string;
  /** URL query parameters that set a connection field instead (libpq's `?host=`). */
  readonly urlFieldParams: Partial<Record<keyof DsnParts['fields'], string>>;
  /** Whether a DSN without a database connects to the one named after the user. */
  readonly databaseDefaultsToUser: boolean;
  /** The engine's own non-URL form. */
  parseNative(text: string): DsnParts;
}

/** `decodeURIComponent` with an error that names the part and never echoes the DSN. */
export function decodeDsnPart(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`has a badly percent-encoded ${what}`);
  }
}
