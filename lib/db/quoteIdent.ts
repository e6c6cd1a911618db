import type { DbType } from '../config/types.js';
import { dialectFor } from './dialects.js';

const TABLE_NAME = /^[A-Za-z0-9_:-]{1,63}$/;

/**
 * Throws unless `name` is a results table name we accept: 1 to 63 letters,
 * digits, `_`, `:` or `-` (63 is PostgreSQL's identifier limit; MySQL allows 64).
 */
export function assertTableName(name: string): void {
  if (!TABLE_NAME.test(name)) {
    throw new Error(`invalid results table name "${name}": use 1 to 63 letters, digits, "_", ":" or "-"`);
  }
}

/** Quotes an identifier for a database type: PostgreSQL `"a""b"`, MySQL `` `a``b` ``. */
export function quoteIdent(type: DbType, name: string): string {
  return dialectFor(type).quoteIdent(name);
}
