import type { DbEngine } from '../port/engine.js';
import { mysqlColumnSqlType } from './columns.js';
import { mysqlEstimate } from './estimateRows.js';
import { mysqlDescribe } from './describeColumns.js';
import { mysqlExploreReader } from './exploreReader.js';
import { mysqlCancel, mysqlPrepare } from './control.js';
import { mysqlDialect } from './dialect.js';
import { openMysqlSource } from './source.js';
import { mysqlTables } from './tables.js';
import { mysqlWriteAccess } from './writeAccess.js';
import { openMysqlWriter } from './writer.js';

/** MySQL and MariaDB behind the engine port. */
export const mysqlEngine: DbEngine = {
  dialect: mysqlDialect,
  openSource: openMysqlSource,
  openWriter: openMysqlWriter,
  prepare: mysqlPrepare,
  estimate: mysqlEstimate,
  describe: mysqlDescribe,
  resultsColumnType: mysqlColumnSqlType,
  cancel: mysqlCancel,
  writeAccess: mysqlWriteAccess,
  explore: mysqlExploreReader,
  tables: mysqlTables,
};
