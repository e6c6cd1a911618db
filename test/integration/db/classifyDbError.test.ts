import { describe, expect, it } from 'vitest';
import { classifyDbError } from '../../../lib/db/classifyDbError.js';
import { createDbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../support/runTask.js';
import { createTestDatabase } from '../../support/testDatabases.js';

/** Errors shaped as pg, mysql2 and Node raise them (the real ones are exercised in the behaviour tests). */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });
const mysqlError = (errno: number, code: string, message: string) => Object.assign(new Error(message), { errno, code, sqlMessage: message, sqlState: 'HY000' });
const socketError = (code: string, message: string) => Object.assign(new Error(message), { code, errno: -111, syscall: 'connect' });

describe('classifyDbError', () => {
  it.each([
    [pgError('57014', 'canceling statement due to statement timeout'), 'timeout'],
    [pgError('57014', 'canceling statement due to user request'), 'cancelled'],
    [pgError('08006', 'connection failure'), 'retryable'],
    [pgError('57P01', 'terminating connection due to administrator command'), 'retryable'],
    [pgError('53300', 'sorry, too many clients already'), 'retryable'],
    [pgError('40001', 'could not serialize access'), 'retryable'],
    [pgError('40P01', 'deadlock detected'), 'retryable'],
    [pgError('55P03', 'canceling statement due to lock timeout'), 'retryable'],
    [pgError('42601', 'syntax error at or near "SELEC"'), 'fatal'],
    [pgError('42P01', 'relation "x" does not exist'), 'fatal'],
    [pgError('22012', 'division by zero'), 'fatal'],
    [mysqlError(1969, 'ER_STATEMENT_TIMEOUT', 'Query execution was interrupted (max_statement_time exceeded)'), 'timeout'],
    [mysqlError(3024, 'ER_QUERY_TIMEOUT', 'Query execution was interrupted, maximum statement execution time exceeded'), 'timeout'],
    [mysqlError(1317, 'ER_QUERY_INTERRUPTED', 'Query execution was interrupted'), 'cancelled'],
    [mysqlError(1040, 'ER_CON_COUNT_ERROR', 'Too many connections'), 'retryable'],
    [mysqlError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'Lock wait timeout exceeded'), 'retryable'],
    [mysqlError(1213, 'ER_LOCK_DEADLOCK', 'Deadlock found'), 'retryable'],
    [mysqlError(2013, 'CR_SERVER_LOST', 'Lost connection'), 'retryable'],
    [mysqlError(1064, 'ER_PARSE_ERROR', 'You have an error in your SQL syntax'), 'fatal'],
    [mysqlError(1146, 'ER_NO_SUCH_TABLE', "Table 'x' doesn't exist"), 'fatal'],
    [mysqlError(1054, 'ER_BAD_FIELD_ERROR', "Unknown column 'x'"), 'fatal'],
    [Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }), 'retryable'],
    [socketError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'retryable'],
    [socketError('ECONNRESET', 'read ECONNRESET'), 'retryable'],
    [socketError('ETIMEDOUT', 'connect ETIMEDOUT'), 'retryable'],
    [socketError('EHOSTUNREACH', 'connect EHOSTUNREACH'), 'retryable'],
    [new Error('Connection terminated unexpectedly'), 'retryable'],
    [new Error('timeout exceeded when trying to connect'), 'retryable'],
    [new Error('something we do not know'), 'fatal'],
    ['a string', 'fatal'],
  ] as const)('%s -> %s', (err, kind) => {
    const out = classifyDbError(err);
    expect(out.kind).toBe(kind);
    expect(out.message).toBe(err instanceof Error ? err.message : err);
  });

  it('reads an AggregateError (dual-stack refused connect) and a wrapped cause', () => {
    const aggregate = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5'), new Error('connect ECONNREFUSED 127.0.0.1:5')], ''), {
      code: 'ECONNREFUSED',
    });
    expect(classifyDbError(aggregate)).toEqual({ kind: 'retryable', message: 'connect ECONNREFUSED ::1:5; connect ECONNREFUSED 127.0.0.1:5' });

    const wrapped = new Error('results load failed', { cause: pgError('40P01', 'deadlock detected') });
    expect(classifyDbError(wrapped)).toEqual({ kind: 'retryable', message: 'deadlock detected' });
  });

  it('classifies a refused connection from a real pool as retryable', async () => {
    const pools = createDbPools();
    const db = await createTestDatabase('postgres');
    try {
      const unreachable = { ...db.db(), connection: { ...db.db().connection, port: 1 } };
      const err = await runTask(pools, { source: unreachable, results: db.results(), query: 'SELECT 1', args: [], table: 't', timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(classifyDbError(err)).toMatchObject({ kind: 'retryable', message: expect.stringContaining('ECONNREFUSED') });
    } finally {
      await pools.end();
      await db.drop();
    }
  });
});
