import type { Column, Row } from '../port/types.js';
import { pgArrayElement, pgArrayToJson } from './pgArrayToJson.js';

/** Trailing zeros of a fraction, and the point when nothing is left after it. */
const FRACTION_ZEROS = /(\.\d*?)0+$/;

/**
 * A row's canonical values as a results table gives them back (see `ColumnType`):
 * ARRAY as JSON text, TIMESTAMP and TIME without trailing fraction zeros. Returns
 * a new row when a value changes (the source's row is left as it is), the same row
 * when none does; undefined for columns that never change.
 */
export function readBackRow(columns: readonly Column[]): ((row: Row) => Row) | undefined {
  const changes: { at: number; change: (v: string) => string }[] = [];
  columns.forEach((c, at) => {
    if (c.type === 'TIMESTAMP' || c.type === 'TIME') changes.push({ at, change: trimFraction });
    // Only a PostgreSQL source has ARRAY columns: its native type names the elements.
    else if (c.type === 'ARRAY') {
      const element = pgArrayElement(c.native?.sql ?? 'text[]');
      changes.push({ at, change: (v) => pgArrayToJson(v, element) });
    }
  });
  if (changes.length === 0) return undefined;
  return (row) => {
    let out: Row | undefined;
    for (const { at, change } of changes) {
      const v = row[at];
      if (v == null) continue;
      const changed = change(v);
      if (changed !== v) (out ??= row.slice())[at] = changed;
    }
    return out ?? row;
  };
}

function trimFraction(v: string): string {
  // Most values end in a non-zero digit: no search needed.
  if (v.charCodeAt(v.length - 1) !== 0x30 || !v.includes('.')) return v;
  return v.replace(FRACTION_ZEROS, (_, kept: string) => (kept === '.' ? '' : kept));
}
