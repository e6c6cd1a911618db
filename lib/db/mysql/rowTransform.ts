import type { Column, RowTransform } from '../types.js';
import { pgArrayElement, pgArrayToJson } from './pgArrayToJson.js';

/** What a MySQL/MariaDB results table needs done to rows before they are loaded. */
export interface MysqlRowTransform {
  /** Undefined when every column takes its canonical text as it is. */
  transform?: RowTransform;
  /** One line per column with values stored as NULL, with their count (see `RunTaskResult.warnings`). */
  warnings(): string[];
}

const NOT_FINITE = new Set(['NaN', 'Infinity', '-Infinity', 'inf', '-inf', '+Infinity']);

/**
 * The changes a MySQL/MariaDB results table needs to canonical values:
 * - DOUBLE, DECIMAL: NaN and ±Infinity (from PostgreSQL) have no MySQL value: NULL, counted;
 * - TIMESTAMPTZ: the UTC text loses its `+00` (the column is a zone-free DATETIME(6));
 * - ARRAY: PostgreSQL array text becomes a JSON array.
 */
export function mysqlRowTransform(columns: readonly Column[]): MysqlRowTransform {
  const doubles: number[] = [];
  const zoned: number[] = [];
  const arrays: { at: number; element: ReturnType<typeof pgArrayElement> }[] = [];
  columns.forEach((c, at) => {
    if (c.native?.engine === 'mysql') return;
    if (c.type === 'DOUBLE' || c.type === 'DECIMAL') doubles.push(at);
    else if (c.type === 'TIMESTAMPTZ') zoned.push(at);
    else if (c.type === 'ARRAY') arrays.push({ at, element: pgArrayElement(c.native?.engine === 'postgres' ? c.native.sql : 'text[]') });
  });
  const nulled = new Array<number>(columns.length).fill(0);
  const warnings = () =>
    doubles
      .filter((at) => (nulled[at] ?? 0) > 0)
      .map((at) => `column "${columns[at]?.name}": ${nulled[at]} NaN/Infinity value(s) stored as NULL (a MySQL ${columns[at]?.type} cannot hold them)`);
  if (doubles.length === 0 && zoned.length === 0 && arrays.length === 0) return { warnings };
  return {
    warnings,
    transform(row) {
      for (const at of doubles) {
        const v = row[at];
        if (v != null && NOT_FINITE.has(v)) {
          row[at] = null;
          nulled[at]!++;
        }
      }
      for (const at of zoned) {
        const v = row[at];
        if (v != null && v.endsWith('+00')) row[at] = v.slice(0, -3);
      }
      for (const { at, element } of arrays) {
        const v = row[at];
        if (v != null) row[at] = pgArrayToJson(v, element);
      }
    },
  };
}
