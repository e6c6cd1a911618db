import type { DbEngine } from '../engine.js';
import { mysqlCancel, mysqlPrepare } from './control.js';
import { mysqlDialect } from './dialect.js';
import { openMysqlSource } from './source.js';
import { mysqlTables } from './tables.js';
import { openMysqlWriter } from './writer.js';

/** MySQL and MariaDB behind the engine port. */
export const mysqlEngine: DbEngine = {
  dialect: mysqlDialect,
  openSource: openMysqlSource,
  openWriter: openMysqlWriter,
  prepare: mysqlPrepare,
  cancel: mysqlCancel,
  tables: mysqlTables,
};
