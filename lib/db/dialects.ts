import type { DbType } from '../config/types.js';
import type { Dialect } from './port/dialect.js';
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

/** Every engine's dialect, each once. */
export function allDialects(): Iterable<Dialect> {
  return DIALECTS.values();
}

/** Every name a config's `type` may use, in order (`postgres`, `postgresql`, `mysql`). */
export const DB_TYPE_NAMES: readonly [string, ...string[]] = (() => {
  const names = [...DIALECTS.values()].flatMap((d) => d.names);
  if (names.length === 0) throw new Error('no database dialects');
  return names as [string, ...string[]];
})();

/** The database type a config's `type` names, or undefined. */
export function dbTypeNamed(name: unknown): DbType | undefined {
  for (const dialect of DIALECTS.values()) if (typeof name === 'string' && dialect.names.includes(name)) return dialect.type;
  return undefined;
}
