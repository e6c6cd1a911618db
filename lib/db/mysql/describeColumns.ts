import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { DescribeQuery } from '../port/engine.js';
import type { Column } from '../port/types.js';
import { mysqlColumn, type MysqlFieldInfo } from './columns.js';
import { mysqlPool } from './pools.js';
import { mysqlPrepare, withMysqlConnection } from './session.js';
import { NO_COLUMNS } from './source.js';

/**
 * A task query's result columns without running it: a server-side prepare, whose
 * column definitions are the ones a run reads (`openMysqlSource`), then close.
 * A prepare never executes, so no transaction is needed.
 */
export async function mysqlDescribe(pools: DbPools, db: DbConfig, { query }: DescribeQuery): Promise<Column[]> {
  return withMysqlConnection(mysqlPool(pools, db).pool, async (conn) => {
    const options = { sql: query, rowsAsArray: true };
    const statement = await mysqlPrepare(conn, options);
    (conn as unknown as { unprepare(o: object): unknown }).unprepare(options);
    const fields = statement.columns as unknown as MysqlFieldInfo[];
    if (fields.length === 0) throw new Error(NO_COLUMNS);
    return fields.map((f): Column => ({ ...mysqlColumn(f), from: 'mysql' }));
  });
}
