import type { Column, WriterRowTransform } from '../port/types.js';
import { UnholdableValues } from '../shared/unholdableValues.js';
import { pgColumnSqlType } from './columns.js';

const BACKSLASH = 0x5c;

/** A NUL character: PostgreSQL's text types cannot hold one (MySQL's can). */
const hasNul = (v: string) => v.includes('\0');

const ZERO = 0x30;
/**
 * A MySQL zero date, or one with a zero year, month or day (`0000-00-00`,
 * `2020-00-15 10:00:00`): PostgreSQL has no year 0 and no such dates.
 */
const zeroDate = (v: string) =>
  v.startsWith('0000') || (v.charCodeAt(5) === ZERO && v.charCodeAt(6) === ZERO) || (v.charCodeAt(8) === ZERO && v.charCodeAt(9) === ZERO);

/**
 * A JSON text with a `\u0000` escape (not an escaped backslash followed by
 * `u0000`): jsonb refuses it, json and MySQL's JSON take it.
 */
function hasNulEscape(v: string): boolean {
  for (let at = v.indexOf('\\u0000'); at >= 0; at = v.indexOf('\\u0000', at + 1)) {
    let backslashes = 0;
    for (let i = at; i >= 0 && v.charCodeAt(i) === BACKSLASH; i--) backslashes++;
    if (backslashes % 2 === 1) return true;
  }
  return false;
}

/**
 * The changes a PostgreSQL results table needs to canonical values of columns
 * whose values do not come from PostgreSQL (see `Column.from`: a PostgreSQL
 * source's values fit a PostgreSQL column of their type): a text with a NUL
 * character, a document for jsonb with a `\u0000` escape, and MySQL's zero dates
 * have no PostgreSQL value. Each becomes NULL and is counted, so the job says so.
 */
export function pgRowTransform(columns: readonly Column[]): WriterRowTransform {
  const unholdable = new UnholdableValues(columns);
  columns.forEach((c, at) => {
    if (c.from === 'postgres' || c.native?.engine === 'postgres') return;
    const sql = pgColumnSqlType(c).toLowerCase();
    if (sql === 'jsonb') unholdable.add(at, hasNulEscape, 'document(s) with a \\u0000 escape stored as NULL (a PostgreSQL jsonb cannot hold it)');
    else if (sql === 'text') unholdable.add(at, hasNul, 'value(s) with a NUL character stored as NULL (PostgreSQL text cannot hold it)');
    else if (c.type === 'DATE' || c.type === 'TIMESTAMP' || c.type === 'TIMESTAMPTZ') {
      unholdable.add(at, zeroDate, 'zero date(s) stored as NULL (PostgreSQL has no year, month or day 0)');
    }
  });
  const warnings = () => unholdable.warnings();
  if (unholdable.empty) return { warnings };
  return { warnings, transform: (row) => unholdable.apply(row) };
}
