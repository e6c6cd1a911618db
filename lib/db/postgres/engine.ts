import type { DbEngine } from '../engine.js';
import { pgCancel, pgPrepare } from './control.js';
import { postgresDialect } from './dialect.js';
import { openPgSource } from './source.js';
import { pgStore } from './store.js';
import { openPgWriter } from './writer.js';

/** PostgreSQL behind the engine port. */
export const postgresEngine: DbEngine = {
  dialect: postgresDialect,
  openSource: openPgSource,
  openWriter: openPgWriter,
  prepare: pgPrepare,
  cancel: pgCancel,
  store: pgStore,
};
