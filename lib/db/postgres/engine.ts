import type { DbEngine } from '../port/engine.js';
import { pgColumnSqlType } from './columns.js';
import { pgEstimate } from './estimateRows.js';
import { pgDescribe } from './describeColumns.js';
import { pgExploreReader } from './exploreReader.js';
import { pgCancel, pgPrepare } from './control.js';
import { postgresDialect } from './dialect.js';
import { openPgSource } from './source.js';
import { pgTables } from './tables.js';
import { pgWriteAccess } from './writeAccess.js';
import { openPgWriter } from './writer.js';

/** PostgreSQL behind the engine port. */
export const postgresEngine: DbEngine = {
  dialect: postgresDialect,
  openSource: openPgSource,
  openWriter: openPgWriter,
  prepare: pgPrepare,
  estimate: pgEstimate,
  describe: pgDescribe,
  resultsColumnType: pgColumnSqlType,
  cancel: pgCancel,
  writeAccess: pgWriteAccess,
  explore: pgExploreReader,
  tables: pgTables,
};
