import type { DbType } from '../config/types.js';
import type { Dialect } from './dialect.js';
import { mysqlDialect } from './mysql/dialect.js';
import { postgresDialect } from './postgres/dialect.js';

const DIALECTS: ReadonlyMap<DbType, Dialect> = new Map([
  ['postgres', postgresDialect],
  ['mysql', mysqlDialect],
]);

/** The SQL text rules of a database type (no driver is loaded). */
export function dialectFor(type: DbType): Dialect {
  const dialect = DIALECTS.get(type);
  if (!dialect) throw new Error(`unknown database type "${String(type)}"`);
  return dialect;
}
