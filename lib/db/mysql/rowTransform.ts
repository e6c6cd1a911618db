import type { Column, WriterRowTransform } from '../port/types.js';
import { UnholdableValues } from '../shared/unholdableValues.js';
import { mysqlDecimalShape } from './columns.js';
import { decimalTooLarge, roundDecimal } from './decimalFit.js';
import { pgArrayElement, pgArrayToJson } from '../shared/pgArrayToJson.js';

/** PostgreSQL's texts of values no MySQL column of the kind can hold. */
const NOT_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const INFINITE_TIME = new Set(['infinity', '-infinity']);
const notFinite = (v: string) => NOT_FINITE.has(v);
const infiniteTime = (v: string) => INFINITE_TIME.has(v);
/**
 * A PostgreSQL date or timestamp text outside MySQL's years 0001-9999: BC
 * (`0044-03-15 BC`, `... 00:00:00+00 BC`) or a year of five digits or more.
 */
const outOfYears = (v: string) => v.endsWith(' BC') || isDigit(v.charCodeAt(4));
const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * The changes a MySQL/MariaDB results table needs to canonical values (of
 * columns whose values do not come from MySQL, see `Column.from`: a MySQL
 * source's values fit by definition, and checking them costs time on every row):
 * - DOUBLE, DECIMAL: NaN and ±Infinity have no MySQL value; a DECIMAL wider than
 *   MySQL's widest is rounded to its scale, or NULL past its precision; DATE, TIMESTAMP(TZ):
 *   nor have ±infinity, BC and years past 9999. Each becomes NULL and is counted,
 *   so the job says so;
 * - TIMESTAMPTZ: the UTC text loses its `+00` (the column is a zone-free DATETIME(6));
 * - ARRAY: PostgreSQL array text becomes a JSON array.
 */
export function mysqlRowTransform(columns: readonly Column[]): WriterRowTransform {
  const unholdable = new UnholdableValues(columns);
  const zoned: number[] = [];
  const arrays: { at: number; element: ReturnType<typeof pgArrayElement> }[] = [];
  columns.forEach((c, at) => {
    // MySQL's own values fit a MySQL column of their kind: nothing to check or change.
    if (c.from === 'mysql' || c.native?.engine === 'mysql') return;
    switch (c.type) {
      case 'DOUBLE':
      case 'DECIMAL': {
        unholdable.add(at, notFinite, `NaN/Infinity value(s) stored as NULL (a MySQL ${c.type} cannot hold them)`);
        if (c.type === 'DOUBLE') break;
        // A numeric wider than the column MySQL can give it: round what has too many
        // decimals (as MySQL would, but said), null what has too many digits before the point.
        const { precision, scale, fits } = mysqlDecimalShape(c);
        if (fits) break;
        unholdable.change(at, (v) => roundDecimal(v, scale), `value(s) rounded to ${scale} decimal places (the column is DECIMAL(${precision},${scale}))`);
        unholdable.add(at, (v) => decimalTooLarge(v, precision - scale), `value(s) with more than ${precision - scale} digits before the point stored as NULL (the column is DECIMAL(${precision},${scale}))`);
        break;
      }
      case 'TIMESTAMPTZ':
        zoned.push(at);
      // falls through: infinity is no DATETIME either
      case 'TIMESTAMP':
        unholdable.add(at, infiniteTime, 'infinite value(s) stored as NULL (a MySQL DATETIME cannot hold them)');
        unholdable.add(at, outOfYears, 'value(s) BC or after 9999 stored as NULL (a MySQL DATETIME cannot hold them)');
        break;
      case 'DATE':
        unholdable.add(at, infiniteTime, 'infinite value(s) stored as NULL (a MySQL DATE cannot hold them)');
        unholdable.add(at, outOfYears, 'value(s) BC or after 9999 stored as NULL (a MySQL DATE cannot hold them)');
        break;
      case 'ARRAY':
        arrays.push({ at, element: pgArrayElement(c.native?.engine === 'postgres' ? c.native.sql : 'text[]') });
        break;
      default:
    }
  });
  const warnings = () => unholdable.warnings();
  if (unholdable.empty && zoned.length === 0 && arrays.length === 0) return { warnings };
  return {
    warnings,
    transform(row) {
      unholdable.apply(row);
      for (const at of zoned) {
        const v = row[at];
        if (v != null && v.endsWith('+00')) row[at] = v.slice(0, -3);
      }
      for (const { at, element } of arrays) {
        const v = row[at];
        if (v == null) continue;
        try {
          row[at] = pgArrayToJson(v, element);
        } catch {
          // Not an array text this parser knows (never from the listed types): keep it, as a JSON string.
          row[at] = JSON.stringify(v);
        }
      }
    },
  };
}
