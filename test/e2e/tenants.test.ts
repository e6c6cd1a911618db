/**
 * Tenants end to end (local stack, `[api] auth = "jwt"`, real RS256 tokens from
 * an issuer of the test's own): each tenant sees only its own jobs, groups,
 * results and listings; another tenant's IDs answer exactly as unknown ones and
 * nothing changes; both tenants run `monthly-report` at once; reuse stays inside
 * a tenant; operators see every tenant; the caller's claims reach PostgreSQL as
 * `request.jwt.claims`, so a row-level security policy gives each tenant its rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { startJwtIssuer, TEST_AUDIENCE, type JwtIssuer } from '../support/jwtIssuer.js';
import { PG_ADMIN } from '../support/testDatabases.js';
import { until } from '../support/until.js';

const TASKS = `
-- name: orders
-- db: rls
-- results: res
-- queue: fast
SELECT n, tenant FROM orders ORDER BY n;

-- name: my_orders
-- db: my
-- results: res
-- queue: fast
-- param: tenant text from claim:sub
SELECT n, tenant FROM orders WHERE tenant = ? ORDER BY n;

-- name: echo
-- db: pg
-- results: res
-- queue: fast
SELECT $1::text AS arg, pg_backend_pid() AS pid;
`;

let issuer: JwtIssuer;
let world: E2eStack;
let reader = '';
const tokens: Record<'alice' | 'bob' | 'op', string> = { alice: '', bob: '', op: '' };

interface Answer {
  status: number;
  body: any;
}

async function call(who: keyof typeof tokens | string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const token = who === undefined ? undefined : (tokens as Record<string, string>)[who] ?? who;
  const res = await fetch(world.stack.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const submit = (who: keyof typeof tokens, task: string, body: object) => call(who, 'POST', `/tasks/${task}/jobs`, body);

async function finished(who: keyof typeof tokens, jobId: string) {
  let last: any;
  await until(`job ${jobId} of ${who} to finish`, async () => {
    last = (await call(who, 'GET', `/jobs/${jobId}`)).body?.data;
    return ['SUCCESS', 'FAILURE', 'CANCELLED'].includes(last?.status);
  }, { timeoutMs: 60_000 });
  return last;
}

beforeAll(async () => {
  issuer = await startJwtIssuer();
  world = await startE2eStack({
    prefix: 'tenants',
    tasks: TASKS,
    setup: async (dbs) => {
      reader = `${dbs.name}_reader`.slice(0, 63);
      await dbs.pg(`CREATE ROLE ${reader} LOGIN`);
      await dbs.pg(`CREATE TABLE orders (n int, tenant text);
        INSERT INTO orders VALUES (1, 'alice'), (2, 'bob'), (3, 'alice'), (4, 'bob'), (5, 'carol');
        ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
        CREATE POLICY own_rows ON orders FOR SELECT USING (tenant = current_setting('request.jwt.claims', true)::json->>'sub');
        GRANT SELECT ON orders TO ${reader}`);
      await dbs.mysql(`CREATE TABLE orders (n int, tenant varchar(20)); INSERT INTO orders VALUES (1, 'alice'), (2, 'bob'), (3, 'alice'), (4, 'bob'), (5, 'carol')`);
    },
    config: (dbs) =>
      e2eConfig(dbs, {
        db: { pg: 'pg', my: 'my', rls: { type: 'postgres', dsn: `postgres://${reader}@127.0.0.1:${PG_ADMIN.port}/${dbs.name}` } },
        results: { res: 'pg' },
        queues: { fast: queue(4) },
        api: { auth: 'jwt', jwt_issuer: issuer.url, jwt_audience: TEST_AUDIENCE },
      }),
  });
  tokens.alice = await issuer.token({ sub: 'alice' });
  tokens.bob = await issuer.token({ sub: 'bob' });
  tokens.op = await issuer.token({ sub: 'ops-team', scope: 'openid sqljobber/operator' });
}, 180_000);

afterAll(async () => {
  await world?.stop();
  if (reader) {
    const admin = new pg.Client(PG_ADMIN);
    await admin.connect();
    await admin.query(`DROP ROLE IF EXISTS ${reader}`).catch(() => undefined);
    await admin.end();
  }
  await issuer?.close();
});

describe('tenants', () => {
  it('refuse requests without a valid token: missing, expired, of another audience or key', async () => {
    const expired = await issuer.token({ sub: 'alice' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const otherAudience = await issuer.token({ sub: 'alice' }, { audience: 'someone-else' });
    const otherKey = await issuer.token({ sub: 'alice' }, { key: issuer.foreignKey });
    for (const who of [undefined, expired, otherAudience, otherKey, 'not-a-jwt']) {
      const res = await call(who, 'GET', '/jobs');
      expect(res.status, String(who)).toBe(401);
      expect(res.body).toMatchObject({ status: 'error', code: 'unauthorized' });
    }
    const claimless = await issuer.token({});
    expect((await call(claimless, 'GET', '/jobs')).status).toBe(401);
  });

  it('run monthly-report for two tenants at once, each reading only its own rows (RLS on request.jwt.claims)', async () => {
    const [a, b] = await Promise.all([submit('alice', 'orders', { job_id: 'monthly-report' }), submit('bob', 'orders', { job_id: 'monthly-report' })]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.data.job_id).toBe('monthly-report');
    const [sa, sb] = await Promise.all([finished('alice', 'monthly-report'), finished('bob', 'monthly-report')]);
    expect([sa.status, sb.status]).toEqual(['SUCCESS', 'SUCCESS']);
    expect(sa.run_id).not.toBe(sb.run_id);
    expect(sa.tenant).toBe('alice');
    // The two tables never share a name.
    expect(sa.results_table).not.toBe(sb.results_table);
    const rows = async (who: 'alice' | 'bob') => (await call(who, 'GET', '/jobs/monthly-report/results')).body.data.rows;
    expect(await rows('alice')).toEqual([['1', 'alice'], ['3', 'alice']]);
    expect(await rows('bob')).toEqual([['2', 'bob'], ['4', 'bob']]);
  });

  it('bind a MariaDB task\'s parameter to the caller\'s claim, which no request can set', async () => {
    const [a, b] = await Promise.all([submit('alice', 'my_orders', { job_id: 'mine' }), submit('bob', 'my_orders', { job_id: 'mine' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await Promise.all([finished('alice', 'mine'), finished('bob', 'mine')]);
    expect((await call('alice', 'GET', '/jobs/mine/results')).body.data.rows).toEqual([['1', 'alice'], ['3', 'alice']]);
    expect((await call('bob', 'GET', '/jobs/mine/results')).body.data.rows).toEqual([['2', 'bob'], ['4', 'bob']]);
    const sneaky = await submit('bob', 'my_orders', { job_id: 'sneaky', args: { tenant: 'alice' } });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.message).toMatch(/comes from the caller's identity/);
    expect((await submit('bob', 'my_orders', { job_id: 'sneaky', args: ['alice'] })).status).toBe(400);
  });

  it('read results of the run the status named, and answer run_changed for another', async () => {
    const status = (await call('alice', 'GET', '/jobs/monthly-report')).body.data;
    expect((await call('alice', 'GET', `/jobs/monthly-report/results?run=${status.run_id}`)).status).toBe(200);
    const other = await call('alice', 'GET', '/jobs/monthly-report/results?run=00000000-0000-0000-0000-000000000000');
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'run_changed', data: { job_id: 'monthly-report', run_id: status.run_id } });
  });

  it("answer another tenant's jobs and groups exactly as unknown ones, on every route, and change nothing", async () => {
    expect((await submit('alice', 'echo', { job_id: 'alice-only', args: ['a1'] })).status).toBe(200);
    const group = await call('alice', 'POST', '/groups', { group_id: 'alice-group', jobs: [{ task: 'echo', job_id: 'alice-member', args: ['g'] }] });
    expect(group.status).toBe(200);
    expect(group.body.data.group_id).toBe('alice-group');
    const before = await finished('alice', 'alice-only');
    await finished('alice', 'alice-member');
    const groupBefore = (await call('alice', 'GET', '/groups/alice-group')).body.data;
    const rowsBefore = (await call('alice', 'GET', '/jobs/alice-only/results')).body.data.rows;

    // What an ID nobody has answers, with the ID swapped in: the answer to another tenant's must be the same.
    const asUnknown = async (method: string, path: (id: string) => string, id: string, unknownId: string) => {
      const theirs = await call('bob', method, path(id));
      const nobodys = await call('bob', method, path(unknownId));
      expect(theirs.status, `${method} ${path(id)}`).toBe(nobodys.status);
      expect(JSON.stringify(theirs.body).replaceAll(id, '<id>'), `${method} ${path(id)}`).toBe(JSON.stringify(nobodys.body).replaceAll(unknownId, '<id>'));
      expect(theirs.status).toBe(404);
    };
    for (const [method, path] of [
      ['GET', (id: string) => `/jobs/${id}`],
      ['GET', (id: string) => `/jobs/${id}?wait=1`],
      ['GET', (id: string) => `/jobs/${id}/results`],
      ['GET', (id: string) => `/jobs/${id}/results?format=csv`],
      ['DELETE', (id: string) => `/jobs/${id}`],
      ['DELETE', (id: string) => `/jobs/${id}?purge=true`],
    ] as const) {
      await asUnknown(method, path, 'alice-only', 'nobody-has-this');
      await asUnknown(method, path, 'alice-member', 'nobody-has-that');
    }
    for (const [method, path] of [
      ['GET', (id: string) => `/groups/${id}`],
      ['GET', (id: string) => `/groups/${id}?wait=1`],
      ['DELETE', (id: string) => `/groups/${id}`],
      ['DELETE', (id: string) => `/groups/${id}?purge=true`],
    ] as const) {
      await asUnknown(method, path, 'alice-group', 'nobody-group');
    }

    // Overwrite: bob's job of the same ID is his own; alice's stays as it was.
    expect((await submit('bob', 'echo', { job_id: 'alice-only', args: ['b1'] })).status).toBe(200);
    const bobs = await finished('bob', 'alice-only');
    expect(bobs.run_id).not.toBe(before.run_id);
    expect((await call('bob', 'GET', '/jobs/alice-only/results')).body.data.rows[0][0]).toBe('b1');
    // A group of the same ID, too.
    expect((await call('bob', 'POST', '/groups', { group_id: 'alice-group', jobs: [{ task: 'echo', job_id: 'bob-member', args: ['h'] }] })).status).toBe(200);

    const after = (await call('alice', 'GET', '/jobs/alice-only')).body.data;
    expect(after).toEqual(before);
    expect((await call('alice', 'GET', '/jobs/alice-only/results')).body.data.rows).toEqual(rowsBefore);
    expect((await call('alice', 'GET', '/groups/alice-group')).body.data).toEqual(groupBefore);
    expect((await call('alice', 'GET', '/jobs/alice-member')).body.data.status).toBe('SUCCESS');
    expect((await call('alice', 'GET', '/jobs/bob-member')).status).toBe(404);
  });

  it('reuse and coalesce only inside a tenant', async () => {
    const a1 = await submit('alice', 'echo', { job_id: 'reuse-1', args: ['same'], max_age: 600 });
    expect(a1.status).toBe(200);
    const first = await finished('alice', 'reuse-1');
    expect(first.reused_from).toBeNull();
    await submit('bob', 'echo', { job_id: 'reuse-2', args: ['same'], max_age: 600 });
    const bobs = await finished('bob', 'reuse-2');
    expect(bobs.status).toBe('SUCCESS');
    expect(bobs.reused_from).toBeNull(); // bob ran his own query
    await submit('alice', 'echo', { job_id: 'reuse-3', args: ['same'], max_age: 600 });
    const again = await finished('alice', 'reuse-3');
    expect(again.reused_from).not.toBeNull(); // alice reused her own
    // A caller of no tenant (an operator) keys its own results: a tenant's run is never its twin.
    await submit('op', 'echo', { job_id: 'reuse-op', args: ['same'], max_age: 600 });
    const ops = await finished('op', 'reuse-op');
    expect(ops.status).toBe('SUCCESS');
    expect(ops.reused_from).toBeNull();
  });

  it('list only the caller\'s own jobs; operators see every tenant, the task SQL and the queues', async () => {
    const ids = (res: Answer) => res.body.data.jobs.map((j: any) => j.job_id);
    const alices = await call('alice', 'GET', '/jobs?limit=100');
    const bobs = await call('bob', 'GET', '/jobs?limit=100');
    expect(ids(alices)).toContain('reuse-1');
    expect(ids(alices)).not.toContain('reuse-2');
    expect(ids(bobs)).toContain('reuse-2');
    expect(ids(bobs)).not.toContain('reuse-1');
    expect(alices.body.data.jobs.every((j: any) => j.tenant === undefined)).toBe(true);
    expect((await call('bob', 'GET', '/jobs?tenant=alice')).status).toBe(403);

    const all = await call('op', 'GET', '/jobs?limit=100');
    const reports = all.body.data.jobs.filter((j: any) => j.job_id === 'monthly-report').map((j: any) => j.tenant).sort();
    expect(reports).toEqual(['alice', 'bob']);
    const onlyBob = await call('op', 'GET', '/jobs?limit=100&tenant=bob');
    expect(new Set(onlyBob.body.data.jobs.map((j: any) => j.tenant))).toEqual(new Set(['bob']));

    const tasks = async (who: 'bob' | 'op') => (await call(who, 'GET', '/tasks')).body.data;
    expect((await tasks('bob')).every((t: any) => t.sql === undefined)).toBe(true);
    expect((await tasks('op')).every((t: any) => typeof t.sql === 'string')).toBe(true);
    expect((await call('bob', 'GET', '/queues')).status).toBe(403);
    expect((await call('op', 'GET', '/queues')).status).toBe(200);
    // Only an operator may act for another tenant.
    expect((await call('bob', 'GET', '/jobs/monthly-report', undefined, { 'x-tenant-id': 'alice' })).status).toBe(403);
    const asAlice = await call('op', 'GET', '/jobs/monthly-report', undefined, { 'x-tenant-id': 'alice' });
    expect(asAlice.body.data.tenant).toBe('alice');
  });
});
