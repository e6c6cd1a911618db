import type { DbType } from '../config/types.js';

const IDENT_CHAR = /[\p{L}\p{N}_$]/u;
const PG_PARAM = /\$(\d+)/y;
const PG_DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/**
 * Counts the positional arguments a query takes: the number of `?` placeholders
 * for MySQL, the highest `$n` for PostgreSQL. Placeholders inside string
 * literals, quoted identifiers, dollar-quoted strings and comments do not count.
 */
export function countArgs(query: string, dialect: DbType): number {
  const pg = dialect === 'postgres';
  let count = 0;
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
        count = Math.max(count, Number(param[1]));
        i = PG_PARAM.lastIndex;
      } else if (tag) {
        const close = query.indexOf(tag[0], PG_DOLLAR_TAG.lastIndex);
        i = close < 0 ? query.length : close + tag[0].length;
      } else {
        i++;
      }
    } else {
      if (c === '?' && !pg) count++;
      i++;
    }
  }
  return count;
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
