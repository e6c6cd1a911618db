import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import type { DescribeQuery } from '../port/engine.js';
import type { Column } from '../port/types.js';
import { pgColumn } from './columns.js';
import { describeStatement } from './describeStatement.js';
import { pgPool } from './pools.js';
import { withPgTransaction } from './session.js';
import { claimsStatement } from './source.js';
import { typeFacts } from './typeFacts.js';

/** How long describing may take or wait for a lock, in milliseconds. */
const DESCRIBE_TIMEOUT_MS = 5_000;

/**
 * A task query's result columns, as a run gets them (`openPgSource`): Parse +
 * Describe in a READ ONLY transaction, the caller's claims set as a run sets
 * them, never executed. The transaction only reads the catalog.
 */
export async function pgDescribe(pools: DbPools, db: DbConfig, { query, claims }: DescribeQuery): Promise<Column[]> {
  return withPgTransaction(pgPool(pools, db), `SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = ${DESCRIBE_TIMEOUT_MS}; SET LOCAL lock_timeout = ${DESCRIBE_TIMEOUT_MS}`, async (client) => {
    if (claims) {
      const { sql, values } = claimsStatement(claims);
      await client.query(sql, values);
    }
    const { fields, paramTypes } = await describeStatement(client, query);
    if (!fields) throw new Error('the task query returns no rows (it must be a SELECT or have a RETURNING clause)');
    const facts = await typeFacts(client, [...fields.map((f) => [f.dataTypeID, f.dataTypeModifier] as const), ...paramTypes.map((oid) => [oid, -1] as const)]);
    return fields.map((f): Column => ({ ...pgColumn(f.name, f.dataTypeID, f.dataTypeModifier, facts), from: 'postgres' }));
  });
}
