import type { DbType } from '../config/types.js';
import type { SqlLexicon } from './port/dialect.js';
import { dialectFor } from './dialects.js';

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
  /** Each `{{name}}` (a task's identifier parameter) outside strings, quoted identifiers and comments, in text order. */
  names: NamedPlaceholder[];
}

/** A `{{name}}` placeholder of an identifier parameter: `query.slice(start, end)` is `{{name}}`. */
export interface NamedPlaceholder {
  name: string;
  start: number;
  end: number;
}

// `{{` starts no token of PostgreSQL's or MySQL's SQL outside a string, so this cannot be read as SQL.
const NAMED_PARAM = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/y;

/**
 * The `{{name}}` placeholders of a query (identifier parameters), in text order,
 * skipping those inside string literals, quoted identifiers and comments.
 */
export function namedPlaceholders(query: string, dialect: DbType): NamedPlaceholder[] {
  return scanPlaceholders(query, dialectFor(dialect).lexicon).names;
}

/** A `$n` placeholder of a PostgreSQL query: its number and where it stands (`query.slice(start, end)` is `$n`). */
export interface Placeholder {
  n: number;
  start: number;
  end: number;
}

/**
 * The numbered (`$n`) placeholders of a query, in text order, skipping those
 * inside string literals, quoted identifiers, dollar-quoted strings and comments
 * (none for a dialect whose placeholders are `?`).
 */
export function numberedPlaceholders(query: string, dialect: DbType): Placeholder[] {
  return scanPlaceholders(query, dialectFor(dialect).lexicon).params;
}

/**
 * The query up to its first `;` outside strings, quoted identifiers and comments
 * (all of it when there is none): for a query already known to be one statement,
 * what follows is only whitespace, comments or empty statements.
 */
export function firstStatement(query: string, dialect: DbType): string {
  const { semicolon } = scanPlaceholders(query, dialectFor(dialect).lexicon);
  return semicolon === undefined ? query : query.slice(0, semicolon);
}

/**
 * Counts the positional arguments a query takes: the number of `?` placeholders
 * for MySQL, the highest `$n` for PostgreSQL. Placeholders inside string
 * literals, quoted identifiers, dollar-quoted strings and comments do not count.
 */
export function countArgs(query: string, dialect: DbType): number {
  return scanPlaceholders(query, dialectFor(dialect).lexicon).count;
}

/**
 * The problem with a query that mixes both placeholder styles (`$1` and `?`), which
 * no database runs (each reads the other's as a syntax error), or undefined.
 * A `?` alone on PostgreSQL may be the jsonb operator and `$1` alone on MySQL part
 * of a name, so one style alone is left for the database to judge.
 */
export function mixedPlaceholdersProblem(query: string, dialect: DbType): string | undefined {
  const lexicon = dialectFor(dialect).lexicon;
  const { count, foreign } = scanPlaceholders(query, lexicon);
  if (count === 0 || foreign[0] === undefined) return undefined;
  return lexicon.mixedPlaceholders(foreign[0]);
}

function scanPlaceholders(query: string, lex: SqlLexicon): PlaceholderScan {
  const dollar = lex.placeholders === 'dollar';
  let count = 0;
  const foreign: string[] = [];
  const params: Placeholder[] = [];
  const names: NamedPlaceholder[] = [];
  let semicolon: number | undefined;
  let i = 0;
  while (i < query.length) {
    const c = query[i]!;
    const next = query[i + 1];
    if (c === '-' && next === '-' && (!lex.dashCommentNeedsSpace || isSpacedDashComment(query, i))) {
      i = endOfLine(query, i);
    } else if (c === '#' && lex.hashComments) {
      i = endOfLine(query, i);
    } else if (c === '/' && next === '*') {
      i = endOfBlockComment(query, i, lex.nestedBlockComments);
    } else if (c === "'") {
      i = endOfQuoted(query, i, lex.stringBackslashes === 'always' || isEscapeString(query, i));
    } else if (c === '"') {
      // A string with backslash escapes (MySQL), or an identifier (PostgreSQL).
      i = endOfQuoted(query, i, lex.doubleQuoted === 'string');
    } else if (c === '`' && lex.backtickIdentifiers) {
      i = endOfQuoted(query, i, false);
    } else if (c === '$' && dollar && !isIdentChar(query[i - 1])) {
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
    } else if (c === '$' && !dollar && !isIdentChar(query[i - 1])) {
      PG_PARAM.lastIndex = i;
      const param = PG_PARAM.exec(query);
      if (param) foreign.push(param[0]);
      i = param ? PG_PARAM.lastIndex : i + 1;
    } else if (c === '{' && next === '{' && ((NAMED_PARAM.lastIndex = i), NAMED_PARAM.test(query))) {
      names.push({ name: /\w+/.exec(query.slice(i))![0], start: i, end: NAMED_PARAM.lastIndex });
      i = NAMED_PARAM.lastIndex;
    } else {
      if (c === ';' && semicolon === undefined) semicolon = i;
      if (c === '?' && !dollar) count++;
      if (c === '?' && dollar && next !== '|' && next !== '&' && VALUE_BEFORE.test(query.slice(Math.max(0, i - 12), i))) foreign.push('?');
      i++;
    }
  }
  return { count, foreign, params, semicolon, names };
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && IDENT_CHAR.test(c);
}

/** Whitespace (or the end) after `--`, which MySQL needs for a comment: `1--1` is arithmetic there. */
function isSpacedDashComment(query: string, i: number): boolean {
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
