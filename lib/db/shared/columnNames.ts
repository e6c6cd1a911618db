import type { Dialect } from '../port/dialect.js';
import type { Column } from '../port/types.js';

/** The name of the row-number column every results table starts with. */
export const ROW_COLUMN = '_row';

/**
 * Makes column names safe and unique for the results database: strips what it
 * cannot store (NUL; on MySQL characters outside the BMP and trailing spaces),
 * shortens to its identifier limit, names empty ones `column_N`, and numbers
 * repeats `a`, `a_2`, `a_3` (case-insensitively, as MySQL compares them).
 * `_row` is taken by the row number.
 */
export function uniqueColumnNames(dialect: Dialect, columns: readonly Column[]): Column[] {
  const taken = new Set([ROW_COLUMN]);
  return columns.map((column, i) => {
    let base = column.name.replaceAll('\0', '');
    if (dialect.identifiers.bmpOnly) base = base.replace(/[\u{10000}-\u{10FFFF}]/gu, '_').trimEnd();
    base = shorten(dialect, base, 0);
    if (base === '') base = `column_${i + 1}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) {
      const suffix = `_${n}`;
      name = shorten(dialect, base, suffix.length) + suffix;
    }
    taken.add(name.toLowerCase());
    return { ...column, name };
  });
}

function shorten(dialect: Dialect, name: string, reserve: number): string {
  const chars = Array.from(name);
  const { max, unit, bmpOnly } = dialect.identifiers;
  if (unit === 'chars') {
    const out = chars.slice(0, max - reserve).join('');
    return bmpOnly ? out.trimEnd() : out;
  }
  let bytes = 0;
  let out = '';
  for (const ch of chars) {
    bytes += Buffer.byteLength(ch);
    if (bytes > max - reserve) break;
    out += ch;
  }
  return out;
}
