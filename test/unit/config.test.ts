import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratchDir.js';
import { loadConfig, parseConfig, parseDurationMs } from '../../lib/config/loadConfig.js';
import { parseDsn } from '../../lib/config/parseDsn.js';
import { DEFAULT_QUEUE, admissionOn } from '../../lib/config/types.js';
import { ConfigError } from '../../lib/errors.js';

/** The problems parseConfig reports for `toml`, failing the test if it accepts it. */
function problems(toml: string, env: Record<string, string | undefined> = {}): string[] {
  try {
    parseConfig(toml, 'config.toml', env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/^config\.toml:/);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

const PG = 'type = "postgres"\ndsn = "postgres://u:p@db.example:5433/app"';

describe('parseDsn', () => {
  it('reads a postgres URL, decoding user and password', () => {
    const c = parseDsn('postgres', 'postgres://rep%40ort:p%40ss%3Aw%2Fd@db.internal:6543/sales?sslmode=disable&application_name=jobber');
    expect(c).toEqual({
      host: 'db.internal',
      port: 6543,
      user: 'rep@ort',
      password: 'p@ss:w/d',
      database: 'sales',
      params: { sslmode: 'disable', application_name: 'jobber' },
    });
  });

  it('accepts postgresql:// and fills default host, port and database', () => {
    expect(parseDsn('postgres', 'postgresql:///?user=alice')).toMatchObject({ host: '127.0.0.1', port: 5432, user: 'alice', password: '', database: 'alice' });
    expect(parseDsn('postgres', 'postgres://u@[::1]/d').host).toBe('::1');
    expect(parseDsn('postgres', 'postgres://u@%2Frun%2Fpostgresql/d').host).toBe('/run/postgresql');
  });

  it('lets libpq URL query parameters set connection fields', () => {
    const c = parseDsn('postgres', 'postgres:///app?host=/run/postgresql&user=bob&sslmode=require');
    expect(c).toMatchObject({ host: '/run/postgresql', user: 'bob', database: 'app', params: { sslmode: 'require' } });
  });

  it('reads a mysql URL', () => {
    expect(parseDsn('mysql', 'mysql://root:s%23cret@maria:3307/shop?charset=utf8mb4')).toEqual({
      host: 'maria',
      port: 3307,
      user: 'root',
      password: 's#cret',
      database: 'shop',
      params: { charset: 'utf8mb4' },
    });
  });

  it("reads dungbeetle's Go MySQL DSN", () => {
    expect(parseDsn('mysql', 'user:password@tcp(host:3306)/dbname?parseTime=true&loc=Asia%2FKolkata')).toEqual({
      host: 'host',
      port: 3306,
      user: 'user',
      password: 'password',
      database: 'dbname',
      params: { parseTime: 'true', loc: 'Asia/Kolkata' },
    });
  });

  it('reads Go MySQL DSNs with empty parts and passwords holding @ : /', () => {
    expect(parseDsn('mysql', '/app')).toMatchObject({ host: '127.0.0.1', port: 3306, user: '', password: '', database: 'app' });
    expect(parseDsn('mysql', 'root@tcp(10.0.0.5)/')).toMatchObject({ host: '10.0.0.5', port: 3306, user: 'root', database: '' });
    expect(parseDsn('mysql', 'root:@tcp([::1]:3310)/x')).toMatchObject({ host: '::1', port: 3310, password: '' });
    expect(parseDsn('mysql', 'u:p@ss:w/rd@tcp(h:1)/d')).toMatchObject({ user: 'u', password: 'p@ss:w/rd', host: 'h', port: 1 });
    expect(parseDsn('mysql', 'u:p@/d')).toMatchObject({ host: '127.0.0.1', user: 'u', password: 'p' });
  });

  it('reads libpq key=value strings with quoted values', () => {
    const c = parseDsn('postgres', "host=localhost port=5433 user=x password='a b\\'c' dbname = d sslmode=disable");
    expect(c).toEqual({ host: 'localhost', port: 5433, user: 'x', password: "a b'c", database: 'd', params: { sslmode: 'disable' } });
    expect(parseDsn('postgres', 'dbname=only')).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'only' });
  });

  it.each([
    ['postgres', 'mysql://u@h/d', /cannot start with mysql:\/\//],
    ['mysql', 'postgres://u@h/d', /cannot start with postgres:\/\//],
    ['mysql', 'user:pass@unix(/tmp/mysql.sock)/db', /unix socket/],
    ['mysql', 'user:pass@tcp(host:3306)', /no "\/"/],
    ['mysql', 'user:pass@tcp(host:3306/db', /unclosed "\("/],
    ['mysql', 'u@udp(h)/d', /unknown protocol "udp"/],
    ['mysql', 'u@tcp(h:99999)/d', /invalid port "99999"/],
    ['mysql', 'u@tcp(::1)/d', /invalid port ":1".*IPv6 hosts in brackets/],
    ['mysql', 'u@tcp(h)/d?novalue', /without "="/],
    ['postgres', "host=h password='open", /unterminated quoted value for "password"/],
    ['postgres', 'just-a-word', /key=value/],
    ['postgres', 'postgres://u:p@h:notaport/d', /not a valid URL/],
    ['postgres', '  ', /is empty/],
  ] as const)('refuses %s DSN %j', (type, dsn, message) => {
    expect(() => parseDsn(type, dsn)).toThrow(message);
  });

  it('never echoes the password in its errors', () => {
    expect(() => parseDsn('postgres', "user=u password='hunter2")).toThrow(/^(?!.*hunter2)/);
    expect(() => parseDsn('postgres', 'postgres://u:hunter2@h:bad/d')).toThrow(/^(?!.*hunter2)/);
  });
});

describe('parseDurationMs', () => {
  it('reads Go durations and seconds', () => {
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('90')).toBe(90_000);
    expect(parseDurationMs(60)).toBe(60_000);
    expect(parseDurationMs('30d')).toBe(30 * 86_400_000);
    expect(parseDurationMs('1d12h')).toBe(36 * 3_600_000);
    expect(parseDurationMs('1e400')).toBeUndefined();
    expect(parseDurationMs('9'.repeat(400))).toBeUndefined();
    expect(parseDurationMs(Infinity)).toBeUndefined();
    expect(parseDurationMs('-5s')).toBeUndefined();
    expect(parseDurationMs('')).toBeUndefined();
    expect(parseDurationMs(true)).toBeUndefined();
  });
});

describe('parseConfig', () => {
  it("loads dungbeetle's sample config, ignoring the Redis job_queue settings", () => {
    const config = parseConfig(
      `
[app]
log_level = "DEBUG"
default_job_ttl = "60s"

[job_queue.broker]
type = "redis"
addresses = ["localhost:6379"]
password = ""
db = 1
max_active = 50
dial_timeout = "1s"

[job_queue.state]
type = "redis"
expiry = "30s"
meta_expiry = "3600s"

[results.my_results]
type = "postgres"
dsn = "postgres://user:password@host:5432/dbname?sslmode=disable"
max_idle = 10
max_active = 100
connect_timeout = "10s"
results_table = "results_%s"

[db.my_db]
type = "mysql"
dsn = "user:password@tcp(host:3306)/dbname"
max_idle = 10
max_active = 100
connect_timeout = "10s"
`,
      'dungbeetle.toml',
      {},
    );
    expect(config.app).toEqual({ logLevel: 'DEBUG', defaultJobTtl: 60, maxJobTtl: 30 * 86_400, resendAfterMs: 900_000 });
    expect(config.db.my_db).toMatchObject({
      name: 'my_db',
      type: 'mysql',
      dsn: 'user:password@tcp(host:3306)/dbname',
      maxActive: 100,
      maxIdle: 10,
      connectTimeoutMs: 10_000,
      connection: { host: 'host', port: 3306, user: 'user', database: 'dbname' },
    });
    expect(config.results.my_results).toMatchObject({ type: 'postgres', resultsTable: 'results_%s', unlogged: false });
    expect(Object.keys(config.queues)).toEqual([DEFAULT_QUEUE]);
    expect(config.source).toBe('dungbeetle.toml');
  });

  it('refuses a ClickHouse db with one problem naming its key, and says it is not supported yet', () => {
    const ch = '[db.ch_db]\ntype = "clickhouse"\ndsn = "clickhouse://default:@127.0.0.1:9000/default?sslmode=disable"\nmax_idle = 10\nmax_active = 100\nconnect_timeout = "10s"\n';
    let problems: string[] = [];
    try {
      parseConfig(`[db.my_db]\n${PG}\n${ch}`, 'config.toml', {});
    } catch (err) {
      problems = (err as ConfigError).problems;
    }
    expect(problems).toEqual([
      'db.ch_db.type: ClickHouse sources are not supported yet: SQL Jobber reads PostgreSQL and MySQL/MariaDB; ' +
        'remove this section, and its name from the tasks\' "-- db:" tags (got "clickhouse")',
    ]);
  });

  it('loads the dungbeetle fixture config as written (Redis sections, pool keys, "60s")', () => {
    const config = loadConfig(join(import.meta.dirname, '../fixtures/dungbeetle/app/config.toml'), {});
    expect(config.app).toMatchObject({ logLevel: 'DEBUG', defaultJobTtl: 60 });
    expect(config.results.my_results).toMatchObject({ maxIdle: 10, maxActive: 100, connectTimeoutMs: 10_000, resultsTable: 'results_%s' });
    expect(config.db.my_db).toMatchObject({ type: 'postgres', connection: { host: '127.0.0.1', database: 'reports' } });
  });

  it('fills every default', () => {
    const config = parseConfig(`[db.main]\n${PG}\n[results.res]\n${PG}`, 'c', {});
    expect(config.app).toEqual({ logLevel: 'INFO', defaultJobTtl: 3600, maxJobTtl: 30 * 86_400, resendAfterMs: 900_000 });
    expect(config.db.main).toMatchObject({ maxActive: 10, maxIdle: 2, connectTimeoutMs: 10_000 });
    expect(config.results.res).toMatchObject({ resultsTable: 'results_%s', unlogged: false, maxActive: 10 });
    expect(config.queues).toEqual({ [DEFAULT_QUEUE]: { name: DEFAULT_QUEUE, concurrency: 5, timeout: 300, declaredBy: 'default' } });
  });

  it('reads [app] resend_after as a duration, at least 1 s', () => {
    const base = `[db.main]\n${PG}\n[results.res]\n${PG}\n`;
    expect(parseConfig(`[app]\nresend_after = "90s"\n${base}`, 'c.toml', {}).app.resendAfterMs).toBe(90_000);
    expect(parseConfig(`[app]\nresend_after = 2\n${base}`, 'c.toml', {}).app.resendAfterMs).toBe(2_000);
    expect(() => parseConfig(`[app]\nresend_after = "500ms"\n${base}`, 'c.toml', {})).toThrow(/app\.resend_after: expected .*at least 1s/);
    expect(() => parseConfig(`[app]\nresend_after = "soon"\n${base}`, 'c.toml', {})).toThrow(/app\.resend_after/);
  });

  it('reads [observability] otlp_endpoint (an http(s) URL); unset, tracing is off', () => {
    const base = `[db.main]\n${PG}\n[results.res]\n${PG}`;
    expect(parseConfig(base, 'c.toml', {}).observability).toEqual({});
    expect(parseConfig(`[observability]\notlp_endpoint = "http://localhost:4318/v1/traces"\n${base}`, 'c.toml', {}).observability).toEqual({ otlpEndpoint: 'http://localhost:4318/v1/traces' });
    expect(() => parseConfig(`[observability]\notlp_endpoint = "localhost:4318"\n${base}`, 'c.toml', {})).toThrow(/observability\.otlp_endpoint: expected the http:\/\/ or https:\/\/ URL of an OTLP\/HTTP traces receiver/);
    expect(() => parseConfig(`[observability]\notlp_endpoint = 4318\n${base}`, 'c.toml', {})).toThrow(/observability\.otlp_endpoint: expected a string/);
    expect(() => parseConfig(`[observability]\notlp_url = "http://x"\n${base}`, 'c.toml', {})).toThrow(/observability\.otlp_url: unknown key \(expected one of: otlp_endpoint\)/);
  });

  it('reads orphan_after in [app] and per queue (off unless set), whole seconds from 1 s to 7 d, naming the key of a bad one', () => {
    const base = `[db.main]\n${PG}\n[results.res]\n${PG}\n`;
    const c = parseConfig(`[app]\norphan_after = "10m"\n${base}[queues.a]\norphan_after = 30\n[queues.b]\n`, 'c.toml', {});
    expect(c.app.orphanAfter).toBe(600);
    expect(c.queues.a!.orphanAfter).toBe(30);
    expect(c.queues.b!.orphanAfter).toBeUndefined();
    expect(parseConfig(base, 'c.toml', {}).app.orphanAfter).toBeUndefined();
    expect(() => parseConfig(`[app]\norphan_after = "500ms"\n${base}`, 'c.toml', {})).toThrow(/app\.orphan_after: expected a duration .* from 1s to 7d/);
    expect(() => parseConfig(`${base}[queues.a]\norphan_after = "8d"\n`, 'c.toml', {})).toThrow(/queues\.a\.orphan_after: expected a duration/);
  });

  it('accepts an empty file: no databases, the default queue', () => {
    const config = parseConfig('', 'c', {});
    expect(config.db).toEqual({});
    expect(config.results).toEqual({});
    expect(config.queues[DEFAULT_QUEUE]).toBeDefined();
  });

  it('reads queues, with timeouts as seconds or durations', () => {
    const config = parseConfig('[queues.fast]\nconcurrency = 20\ntimeout = 30\n[queues.slow-reports]\ntimeout = "15m"', 'c', {});
    expect(config.queues).toEqual({
      fast: { name: 'fast', concurrency: 20, timeout: 30, concurrencyFrom: 'config' },
      'slow-reports': { name: 'slow-reports', concurrency: 5, timeout: 900 },
    });
  });

  it('reads durations as Go strings or numbers of seconds', () => {
    const config = parseConfig(`[app]\ndefault_job_ttl = 7200\n[db.a]\n${PG}\nconnect_timeout = "1m30s"\n[db.b]\n${PG}\nconnect_timeout = 5`, 'c', {});
    expect(config.app.defaultJobTtl).toBe(7200);
    expect(config.db.a!.connectTimeoutMs).toBe(90_000);
    expect(config.db.b!.connectTimeoutMs).toBe(5000);
  });

  it('reads max_job_ttl, a duration from 1s to 3650d that default_job_ttl may not pass', () => {
    expect(parseConfig('[app]\nmax_job_ttl = "7d"', 'c', {}).app.maxJobTtl).toBe(7 * 86_400);
    expect(parseConfig('[app]\nmax_job_ttl = 60\ndefault_job_ttl = "1m"', 'c', {}).app).toMatchObject({ maxJobTtl: 60, defaultJobTtl: 60 });
    expect(() => parseConfig('[app]\nmax_job_ttl = "0s"', 'c', {})).toThrow('app.max_job_ttl: expected a duration');
    expect(() => parseConfig('[app]\nmax_job_ttl = "3651d"', 'c', {})).toThrow('from 1s to 3650d');
    expect(() => parseConfig('[app]\nmax_job_ttl = "1h"\ndefault_job_ttl = "2h"', 'c', {})).toThrow(
      'app.default_job_ttl: must not be longer than app.max_job_ttl (3600 s)',
    );
  });

  it('reads results_table, unlogged and the postgresql alias', () => {
    const config = parseConfig('[results.r]\ntype = "postgresql"\ndsn = "dbname=r"\nresults_table = "job_%s_rows"\nunlogged = true', 'c', {});
    expect(config.results.r).toMatchObject({ type: 'postgres', resultsTable: 'job_%s_rows', unlogged: true });
  });

  it('substitutes ${ENV} in DSNs', () => {
    const env = { DB_PASS: 's3cret', DB_URL: 'postgres://a:b@env-host/envdb' };
    const config = parseConfig(
      '[db.a]\ntype = "mysql"\ndsn = "app:${DB_PASS}@tcp(maria:3306)/shop"\n[db.b]\ntype = "postgres"\ndsn = "${DB_URL}"',
      'c',
      env,
    );
    expect(config.db.a!.dsn).toBe('app:s3cret@tcp(maria:3306)/shop');
    expect(config.db.a!.connection.password).toBe('s3cret');
    expect(config.db.b!.connection).toMatchObject({ host: 'env-host', database: 'envdb' });
  });

  it('names the key path and the variable when an env var is unset', () => {
    const found = problems('[results.out]\ntype = "postgres"\ndsn = "postgres://u:${RES_PASS}@h/${RES_DB}"', { RES_DB: 'x' });
    expect(found).toEqual(['results.out.dsn: environment variable RES_PASS is not set']);
    expect(problems('[db.a]\ntype = "mysql"\ndsn = "${constructor}"')).toEqual(['db.a.dsn: environment variable constructor is not set']);
  });

  it('deep-freezes the result', () => {
    const config = parseConfig('[db.main]\ntype = "postgres"\ndsn = "postgres://h/d?sslmode=disable"', 'c', {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.db.main!.connection.params)).toBe(true);
    expect(Object.isFrozen(config.queues[DEFAULT_QUEUE])).toBe(true);
    expect(() => {
      (config.app as { logLevel: string }).logLevel = 'DEBUG';
    }).toThrow(TypeError);
  });

  it.each([
    ['[db.main]\ntype = "postgres"\ndsn = "dbname=x"\nmax_active = "ten"', 'db.main.max_active: expected an integer >= 1 (got "ten")'],
    ['[db.main]\ntype = "postgres"\ndsn = "dbname=x"\nmax_active = 0', 'db.main.max_active: expected an integer >= 1 (got 0)'],
    ['[db.main]\ntype = "postgres"\ndsn = "dbname=x"\nmax_idle = 1.5', 'db.main.max_idle: expected an integer >= 0 (got 1.5)'],
    ['[db.main]\ntype = "postgres"\ndsn = "dbname=x"\nconnect_timeout = "soon"', 'db.main.connect_timeout: expected a duration such as "30s", "1h30m" or "500ms", or a number of seconds (got "soon")'],
    ['[db.main]\ndsn = "dbname=x"', 'db.main.type: is required ("postgres" or "mysql")'],
    ['[db.main]\ntype = "oracle"\ndsn = "x"', 'db.main.type: expected "postgres" or "mysql" (got "oracle")'],
    ['[db.main]\ntype = "mysql"', 'db.main.dsn: is required (a string)'],
    ['[db.main]\ntype = "mysql"\ndsn = 5', 'db.main.dsn: expected a string (got 5)'],
    ['[db.main]\ntype = "mysql"\ndsn = "user:pass@unix(/s)/d"', 'db.main.dsn: uses a unix socket, which is not supported; use tcp(host:port)'],
    ['[db."bad name"]\ntype = "mysql"\ndsn = "/d"', 'db.bad name: invalid name; use letters, digits, _ and -'],
    ['[db.main]\ntype = "mysql"\ndsn = "/d"\nmaxactive = 3', 'db.main.maxactive: unknown key (expected one of: type, dsn, max_active, max_idle, connect_timeout)'],
    ['[db.main]\ntype = "mysql"\ndsn = "/d"\nresults_table = "r_%s"', 'db.main.results_table: unknown key (expected one of: type, dsn, max_active, max_idle, connect_timeout)'],
    ['db = "main"', 'db: expected a table (got "main")'],
    ['[db]\ntype = "mysql"', 'db.type: expected a table (got "mysql")'],
    ['[results.r]\ntype = "mysql"\ndsn = "/d"\nresults_table = "results"', 'results.r.results_table: expected exactly one "%s" (it is replaced by the job ID) (got "results")'],
    ['[results.r]\ntype = "mysql"\ndsn = "/d"\nresults_table = "r_%s_%s"', 'results.r.results_table: expected exactly one "%s" (it is replaced by the job ID) (got "r_%s_%s")'],
    ['[results.r]\ntype = "mysql"\ndsn = "/d"\nresults_table = "r-%s"', 'results.r.results_table: expected only letters, digits and _ around "%s" (got "r-%s")'],
    [`[results.r]\ntype = "mysql"\ndsn = "/d"\nresults_table = "${'x'.repeat(41)}%s"`, `results.r.results_table: expected at most 40 characters besides "%s" (table names are limited to 63) (got "${'x'.repeat(41)}%s")`],
    ['[results.r]\ntype = "mysql"\ndsn = "/d"\nunlogged = "yes"', 'results.r.unlogged: expected true or false (got "yes")'],
    ['[queues.q]\nconcurrency = 0', 'queues.q.concurrency: expected an integer from 1 to 1000 (got 0)'],
    ['[queues.q]\nconcurrency = 1001', 'queues.q.concurrency: expected an integer from 1 to 1000 (got 1001)'],
    ['[queues.q]\ntenant_concurrency = 0', 'queues.q.tenant_concurrency: expected an integer from 1 to 1000 (got 0)'],
    ['[queues.q]\ntenant_concurrency = 1.5', 'queues.q.tenant_concurrency: expected an integer from 1 to 1000 (got 1.5)'],
    ['[queues.q]\nconcurrency = 4\ntenant_concurrency = 5', "queues.q.tenant_concurrency: must be at most the queue's concurrency (4): one tenant cannot run more jobs than the queue (got 5)"],
    ['[queues.q]\ntenant_max_queued = 0', 'queues.q.tenant_max_queued: expected an integer from 1 to 1000000 (got 0)'],
    ['[queues.q]\ntenant_max_queued = "many"', 'queues.q.tenant_max_queued: expected an integer from 1 to 1000000 (got "many")'],
    ['[queues.q]\nadmission = "yes"', 'queues.q.admission: expected true or false (got "yes")'],
    ['[queues.q]\nconcurrency = 1\nadmission = false', 'queues.q.admission: cannot be false with tenant_concurrency, tenant_max_queued or concurrency = 1: those need admission (got false)'],
    ['[queues.q]\ntimeout = 901', 'queues.q.timeout: expected whole seconds from 10 to 900 (Lambda stops at 900 s), or a duration such as "5m" (got 901)'],
    ['[queues.q]\ntimeout = "5s"', 'queues.q.timeout: expected whole seconds from 10 to 900 (Lambda stops at 900 s), or a duration such as "5m" (got "5s")'],
    [`[queues.${'q'.repeat(61)}]`, `queues.${'q'.repeat(61)}: invalid name; use 1 to 60 letters, digits, _ and -`],
    ['[app]\ndefault_job_ttl = "500ms"', 'app.default_job_ttl: expected a duration such as "30s", "1h30m" or "500ms", or a number of seconds, at least 1s (got "500ms")'],
    ['[app]\nlog_level = "LOUD"', 'app.log_level: expected one of DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT (got "LOUD")'],
    ['[app]\nlog_level = 3', 'app.log_level: expected a string (got 3)'],
    ['[machinery]\nbroker_address = "redis://"', 'machinery: unknown key (expected one of: app, job_queue, db, results, queues, api, aws, notify, observability, export)'],
  ])('reports %j as the problem %j', (toml, expected) => {
    expect(problems(toml)).toEqual([expected]);
  });

  it('reads the admission keys of a queue', () => {
    const config = parseConfig('[queues.fair]\nconcurrency = 10\ntenant_concurrency = 2\ntenant_max_queued = 1000\n[queues.plain]\n[queues.one]\nconcurrency = 1', 'c', {});
    expect(config.queues.fair).toEqual({ name: 'fair', concurrency: 10, timeout: 300, concurrencyFrom: 'config', tenantConcurrency: 2, tenantMaxQueued: 1000 });
    expect([config.queues.fair!, config.queues.plain!, config.queues.one!].map(admissionOn)).toEqual([true, false, true]);
  });

  it('collects every problem at once', () => {
    const found = problems(`
[app]
log_level = 1
[db.a]
type = "mysql"
dsn = "x:y@tcp(h:0)/d"
max_active = -1
[db.b]
dsn = "\${NOPE}"
[results.r]
type = "postgres"
dsn = "dbname=r"
results_table = "%s%s"
[queues.q]
timeout = 1
extra = true
`);
    expect(found).toHaveLength(8);
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual([
      'app.log_level',
      'db.a.dsn',
      'db.a.max_active',
      'db.b.dsn',
      'db.b.type',
      'queues.q.extra',
      'queues.q.timeout',
      'results.r.results_table',
    ]);
  });

  it('does not quote a DSN that failed to parse', () => {
    const [problem] = problems('[db.a]\ntype = "postgres"\ndsn = "postgres://u:hunter2@h:port/d"');
    expect(problem).toMatch(/^db\.a\.dsn: is not a valid URL/);
    expect(problem).not.toContain('hunter2');
  });

  it('turns a TOML syntax error into a ConfigError naming the file and line', () => {
    let error: unknown;
    try {
      parseConfig('[app]\nlog_level = "INFO"\ndefault_job_ttl = \n', 'conf/app.toml', {});
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^conf\/app\.toml:\n {2}- line 3, column \d+: invalid TOML: /);
  });
});

describe('loadConfig', () => {
  it('reads the file and uses its path as the source', () => {
    const dir = scratchDir('sqljobber-config-');
    const path = join(dir, 'config.toml');
    writeFileSync(path, '[queues.reports]\nconcurrency = 2\n');
    const config = loadConfig(path, {});
    expect(config.source).toBe(path);
    expect(config.queues).toEqual({ reports: { name: 'reports', concurrency: 2, timeout: 300, concurrencyFrom: 'config' } });
  });

  it('names the path when the file is missing', () => {
    const path = join(tmpdir(), 'sqljobber-no-such-dir', 'config.toml');
    expect(() => loadConfig(path, {})).toThrow(ConfigError);
    expect(() => loadConfig(path, {})).toThrow(`${path}:\n  - file not found`);
  });

  it('loads config.toml.sample', () => {
    const config = loadConfig(join(import.meta.dirname, '../../config.toml.sample'), { MY_DB_PASSWORD: 'pw', RESULTS_DSN: 'postgres://r@127.0.0.1/results' });
    expect(Object.keys(config.db).length).toBeGreaterThan(0);
    expect(Object.keys(config.results).length).toBeGreaterThan(0);
    expect(config.queues[DEFAULT_QUEUE]).toBeDefined();
  });
});
