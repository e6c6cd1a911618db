import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbConfig, DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { sourceDb } from '../../../lib/db/sourceDb.js';
import { createTestDatabase, MYSQL_ADMIN, type TestDatabase } from '../../support/testDatabases.js';
import mysqlPromise from 'mysql2/promise';

/**
 * The read-only grants docs/security.md gives, run as written (its ```sql blocks,
 * the database and user renamed), leave a user `npm run check` finds nothing to
 * warn about; the admin users of the test servers are warned about.
 */
const SECURITY = readFileSync(path.resolve(import.meta.dirname, '../../../docs/security.md'), 'utf8');
const section = SECURITY.slice(SECURITY.indexOf('## Read-only database users'));
const sqlBlocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** A block's statements for this test's database and a user of its own. */
const statements = (block: string, database: string, user: string) =>
  block
    .replaceAll('sqljobber_reader', user)
    .replace(/\bsales\b/g, database)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const cases: { type: DbType; block: number }[] = [
  { type: 'postgres', block: 0 },
  { type: 'mysql', block: 1 },
];

describe.each(cases)('$type', ({ type, block }) => {
  const user = `sqljobber_reader_${randomBytes(4).toString('hex')}`;
  let db: TestDatabase;
  let pools: DbPools;
  let reader: DbConfig;

  beforeAll(async () => {
    pools = createDbPools();
    db = await createTestDatabase(type);
    await db.query('CREATE TABLE orders (id int)');
    for (const sql of statements(sqlBlocks[block]!, db.database, user)) await db.query(sql);
    const admin = db.db();
    reader = { ...admin, name: 'reader', connection: { ...admin.connection, user, password: 'change-me' } };
  });

  afterAll(async () => {
    await pools?.end();
    await db?.drop();
    if (type === 'postgres') {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' });
      await client.connect();
      await client.query(`DROP ROLE IF EXISTS ${user}`).finally(() => client.end());
    } else {
      const conn = await mysqlPromise.createConnection(MYSQL_ADMIN);
      await conn.query(`DROP USER IF EXISTS '${user}'@'%'`).finally(() => conn.end());
    }
  });

  it('the documented grants make a user that can read and may write nothing', async () => {
    expect(await sourceDb(pools, reader).writeAccess()).toEqual([]);
    const out = await sourceDb(pools, reader).runTask({ results: db.results(), query: 'SELECT count(*) AS n FROM orders', args: [], table: 'results_read', timeoutMs: 10_000 });
    expect(out.count).toBe(1);
  });

  it("warns about the test server's admin user", async () => {
    const found = await sourceDb(pools, db.db()).writeAccess();
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(type === 'postgres' ? /is a superuser/ : /may ALL PRIVILEGES/);
  });
});
