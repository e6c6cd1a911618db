import type { DbEngine } from '../engine.js';
import { pgCancel, pgPrepare } from './control.js';
import { postgresDialect } from './dialect.js';
import { openPgSource } from './source.js';
import { pgTables } from './tables.js';
import { openPgWriter } from './writer.js';

/** PostgreSQL behind the engine port. */
export const postgresEngine: DbEngine = {
  dialect: postgresDialect,
  openSource: openPgSource,
  openWriter: openPgWriter,
  prepare: pgPrepare,
  cancel: pgCancel,
  tables: pgTables,
};
