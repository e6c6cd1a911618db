import type { DbType } from '../config/types.js';
import type { DbEngine } from './port/engine.js';
import { mysqlEngine } from './mysql/engine.js';
import { postgresEngine } from './postgres/engine.js';

const ENGINES: ReadonlyMap<DbType, DbEngine> = new Map([
  ['postgres', postgresEngine],
  ['mysql', mysqlEngine],
]);

/** The engine of a database type: the one place that picks PostgreSQL or MySQL code. */
export function engineFor(type: DbType): DbEngine {
  const engine = ENGINES.get(type);
  if (!engine) throw new Error(`unknown database type "${String(type)}"`);
  return engine;
}
