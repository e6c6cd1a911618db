import type { DbType } from '../config/types.js';

const IDENT_CHAR = /[\p{L}\p{N}_$]/u;
const PG_PARAM = /\$(\d+)/y;
const PG_DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;
// A `?` after one of these stands where a value goes; elsewhere, on PostgreSQL, it is the jsonb operator (`data ? 'key'`).
const VALUE_BEFORE = /(?:[=<>(,+\-*/%]|\b(?:and|or|not|in|is|like|ilike|between|then|else|when|limit|offset|select|values|by))\s*$/i;

/** What a scan of a query's placeholders finds. */
interface PlaceholderScan {
  /** `?` for MySQL, the highest `$n` for PostgreSQL. */
  count: number;
  /** Placeholders of the other dialect's style, in value positions: `?` in a PostgreSQL query, `$n` in a MySQL one. */
  foreign: string[];
  /** PostgreSQL only: each `$n` outside strings, quoted identifiers and comments, in text order. */
  params: Placeholder[];
  /** Where the first `;` outside strings, quoted identifiers and comments is, if any. */
  semicolon: number | undefined;
}

/** A `$n` placeholder of a PostgreSQL query: its number and where it stands (`query.slice(start, end)` is `$n`). */
export interface Placeholder {
  n: number;
  start: number;
  end: number;
}

/**
 * The `$n` placeholders of a PostgreSQL query, in text order, skipping those
 * inside string literals, quoted identifiers, dollar-quoted strings and comments.
 */
export function pgPlaceholders(query: string): Placeholder[] {
  return scanPlaceholders(query, 'postgres').params;
}

/**
 * The query up to its first `;` outside strings, quoted identifiers and comments
 * (all of it when there is none): for a query already known to be one statement,
 * what follows is only whitespace, comments or empty statements.
 */
export function firstStatement(query: string, dialect: DbType): string {
  const { semicolon } = scanPlaceholders(query, dialect);
  return semicolon === undefined ? query : query.slice(0, semicolon);
}

/**
 * Counts the positional arguments a query takes: the number of `?` placeholders
 * for MySQL, the highest `$n` for PostgreSQL. Placeholders inside string
 * literals, quoted identifiers, dollar-quoted strings and comments do not count.
 */
export function countArgs(query: string, dialect: DbType): number {
  return scanPlaceholders(query, dialect).count;
}

/**
 * The problem with a query that mixes both placeholder styles (`$1` and `?`), which
 * no database runs (each reads the other's as a syntax error), or undefined.
 * A `?` alone on PostgreSQL may be the jsonb operator and `$1` alone on MySQL part
 * of a name, so one style alone is left for the database to judge.
 */
export function mixedPlaceholdersProblem(query: string, dialect: DbType): string | undefined {
  const { count, foreign } = scanPlaceholders(query, dialect);
  if (count === 0 || foreign.length === 0) return undefined;
  return dialect === 'postgres'
    ? `mixes $n and ? placeholders; its db is PostgreSQL, which takes $1..$n only: write each ? as the next $n`
    : `mixes ? and $n placeholders (${foreign[0]}); its db is MySQL, which takes ? only: write each $n as ? in argument order`;
}

function scanPlaceholders(query: string, dialect: DbType): PlaceholderScan {
  const pg = dialect === 'postgres';
  let count = 0;
  const foreign: string[] = [];
  const params: Placeholder[] = [];
  let semicolon: number | undefined;
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    const next = query[i + 1];
    if (c === '-' && next === '-' && (pg || isMysqlDashComment(query, i))) {
      i = endOfLine(query, i);
    } else if (c === '#' && !pg) {
      i = endOfLine(query, i);
    } else if (c === '/' && next === '*') {
      i = endOfBlockComment(query, i, pg);
    } else if (c === "'") {
      i = endOfQuoted(query, i, !pg || isEscapeString(query, i));
    } else if (c === '"') {
      // MySQL reads "..." as a string (backslash escapes); PostgreSQL as an identifier.
      i = endOfQuoted(query, i, !pg);
    } else if (c === '`' && !pg) {
      i = endOfQuoted(query, i, false);
    } else if (c === '$' && pg && !isIdentChar(query[i - 1])) {
      PG_PARAM.lastIndex = i;
      const param = PG_PARAM.exec(query);
      PG_DOLLAR_TAG.lastIndex = i;
      const tag = param ? null : PG_DOLLAR_TAG.exec(query);
      if (param) {
        const n = Number(param[1]);
        count = Math.max(count, n);
        params.push({ n, start: i, end: PG_PARAM.lastIndex });
        i = PG_PARAM.lastIndex;
      } else if (tag) {
        const close = query.indexOf(tag[0], PG_DOLLAR_TAG.lastIndex);
        i = close < 0 ? query.length : close + tag[0].length;
      } else {
        i++;
      }
    } else if (c === '$' && !pg && !isIdentChar(query[i - 1])) {
      PG_PARAM.lastIndex = i;
      const param = PG_PARAM.exec(query);
      if (param) foreign.push(param[0]);
      i = param ? PG_PARAM.lastIndex : i + 1;
    } else {
      if (c === ';' && semicolon === undefined) semicolon = i;
      if (c === '?' && !pg) count++;
      if (c === '?' && pg && next !== '|' && next !== '&' && VALUE_BEFORE.test(query.slice(Math.max(0, i - 12), i))) foreign.push('?');
      i++;
    }
  }
  return { count, foreign, params, semicolon };
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && IDENT_CHAR.test(c);
}

/** MySQL needs whitespace (or the end) after `--` for a comment: `1--1` is arithmetic. */
function isMysqlDashComment(query: string, i: number): boolean {
  const after = query[i + 2];
  return after === undefined || /[\s\x00-\x1f]/.test(after);
}

/** PostgreSQL E'...' strings honour backslash escapes; standard '...' strings do not. */
function isEscapeString(query: string, i: number): boolean {
  const prefix = query[i - 1];
  return (prefix === 'E' || prefix === 'e') && !isIdentChar(query[i - 2]);
}

function endOfLine(query: string, i: number): number {
  const nl = query.indexOf('\n', i);
  return nl < 0 ? query.length : nl + 1;
}

/** PostgreSQL block comments nest; MySQL's end at the first `*\/`. */
function endOfBlockComment(query: string, start: number, nested: boolean): number {
  let depth = 0;
  let i = start;
  while (i < query.length) {
    if (query.startsWith('/*', i) && (nested || depth === 0)) {
      depth++;
      i += 2;
    } else if (query.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return query.length;
}

/** Skips a quoted run starting at `start`; a doubled quote is an escaped quote. */
function endOfQuoted(query: string, start: number, backslashEscapes: boolean): number {
  const quote = query[start];
  let i = start + 1;
  while (i < query.length) {
    const c = query[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (query[i + 1] !== quote) return i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return query.length;
}
