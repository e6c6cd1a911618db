import type { Row } from '../port/types.js';

const SPECIAL = /[\\\t\n\r\0]/;
const SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const escapeChar = (ch: string) => ESCAPES[ch] ?? ch;

/**
 * Encodes one row as a line of tab-separated text starting with its `_row`
 * number: PostgreSQL's `COPY ... FROM STDIN` text format, which is also what
 * MySQL's `LOAD DATA` reads with `FIELDS TERMINATED BY '\t' ESCAPED BY '\\'`.
 * NULL is `\N`; backslash, tab, newline, carriage return and NUL are escaped
 * (PostgreSQL text cannot hold NUL, so `\0` only ever reaches MySQL).
 */
export function encodeRow(row: Row, rowNumber: number): string {
  let line = String(rowNumber);
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === null || v === undefined) line += '\t\\N';
    else if (SPECIAL.test(v)) line += '\t' + v.replace(SPECIAL_ALL, escapeChar);
    else line += '\t' + v;
  }
  return line + '\n';
}
