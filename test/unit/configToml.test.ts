import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { configToml, e2eConfig, queue } from '../support/configToml.js';
import type { TestDatabases } from '../support/testDatabases.js';
import { until } from '../support/until.js';

// Only the names are read: no database is made.
const dbs = {
  name: 'sqljobber_kit_0',
  pgUrl: 'postgres://postgres@127.0.0.1:5432/sqljobber_kit_0',
  mysqlUrl: 'mysql://root@127.0.0.1:3306/sqljobber_kit_0',
  mysqlDsn: 'root:@tcp(127.0.0.1:3306)/sqljobber_kit_0',
} as TestDatabases;

describe('the test kit', () => {
  it("e2eConfig writes a config.toml the service reads: each place's type, DSN and extra keys, the queues, [app] and [notify]", () => {
    const text = e2eConfig(dbs, {
      app: { default_job_ttl: '1h' },
      db: { pg: { on: 'pg', max_active: 30 }, my: 'my', pg_down: { type: 'postgres', dsn: 'postgres://postgres@127.0.0.1:1/nowhere', connect_timeout: '2s' } },
      results: { pg_res: 'pg', my_res: 'my' },
      queues: { fast: queue(3), slow: queue(2, 90) },
      notify: { webhooks: ['http://127.0.0.1:1/hook'], webhook_secret: 's', retry_for: '12s' },
    });
    const config = parseConfig(text, 'config.toml', {});
    expect(config.db.pg).toMatchObject({ type: 'postgres', dsn: dbs.pgUrl, maxActive: 30 });
    expect(config.db.my).toMatchObject({ type: 'mysql', dsn: dbs.mysqlDsn, connection: { database: dbs.name } });
    expect(config.db.pg_down).toMatchObject({ type: 'postgres', connectTimeoutMs: 2_000, connection: { port: 1, database: 'nowhere' } });
    expect(config.results.pg_res).toMatchObject({ type: 'postgres', dsn: dbs.pgUrl });
    expect(config.results.my_res).toMatchObject({ type: 'mysql', dsn: dbs.mysqlUrl });
    expect(config.queues.fast).toMatchObject({ concurrency: 3, timeout: 60 });
    expect(config.queues.slow).toMatchObject({ concurrency: 2, timeout: 90 });
    expect(config.notify.webhooks).toEqual(['http://127.0.0.1:1/hook']);
  });

  it('configToml leaves out sections given as undefined', () => {
    expect(configToml({ app: undefined, queues: { q: queue(1) } })).toBe('[queues.q]\nconcurrency = 1\ntimeout = 60\n');
  });

  it('until returns the first answer that is not undefined or false, and names what it waited for when time runs out', async () => {
    let n = 0;
    expect(await until('three tries', () => (++n >= 3 ? n : false), { everyMs: 1 })).toBe(3);
    await expect(until('a job to finish', async () => undefined, { timeoutMs: 20, everyMs: 5 })).rejects.toThrow(/timed out after 20 ms waiting for a job to finish; last: undefined/);
    await expect(until('a server', () => Promise.reject(new Error('ECONNREFUSED')), { timeoutMs: 20, everyMs: 5, ignoreErrors: true })).rejects.toThrow(/waiting for a server; last: Error: ECONNREFUSED/);
    await expect(until('a server', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
