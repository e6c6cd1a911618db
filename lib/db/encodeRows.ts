import type { Row } from './rowBuffer.js';

const PG_SPECIAL = /[\\\t\n\r]/;
const PG_SPECIAL_ALL = /[\\\t\n\r]/g;
const MYSQL_SPECIAL = /[\\\t\n\r\0]/;
const MYSQL_SPECIAL_ALL = /[\\\t\n\r\0]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0' };
const escapeChar = (ch: string) => ESCAPES[ch] ?? ch;

/**
 * Encodes rows as tab-separated text, each line starting with its `_row` number:
 * PostgreSQL's `COPY ... FROM STDIN` text format, which is also what MySQL's
 * `LOAD DATA` reads with `FIELDS TERMINATED BY '\t' ESCAPED BY '\\'` (NULL is
 * `\N`; backslash, tab, newline and carriage return are escaped; for MySQL NUL
 * too, which PostgreSQL text cannot hold anyway).
 *
 * One string per batch: V8 concatenates into a rope, flattened once by Buffer.from.
 */
export function encodeRows(rows: readonly Row[], firstRowNumber: number, target: 'postgres' | 'mysql'): string {
  const special = target === 'postgres' ? PG_SPECIAL : MYSQL_SPECIAL;
  const specialAll = target === 'postgres' ? PG_SPECIAL_ALL : MYSQL_SPECIAL_ALL;
  let out = '';
  let n = firstRowNumber;
  for (const row of rows) {
    let line = String(n++);
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null || v === undefined) line += '\t\\N';
      else if (special.test(v)) line += '\t' + v.replace(specialAll, escapeChar);
      else line += '\t' + v;
    }
    out += line + '\n';
  }
  return out;
}
