/**
 * config.toml's deployment sections ([api], [aws]), secret references in dsns and
 * their resolution at cold start, and the cold-start wrapper of the handlers.
 */
import { describe, expect, it } from 'vitest';
import type { App } from '../../lib/app.js';
import { parseConfig, type ConfigOptions } from '../../lib/config/loadConfig.js';
import { resolveSecretRefs, type SecretReader } from '../../lib/config/resolveSecretRefs.js';
import { createDbPools } from '../../lib/db/createDbPools.js';
import { ConfigError } from '../../lib/errors.js';
import { onColdStart } from '../../lib/loadApp.js';
import { pgPool } from '../../lib/db/postgres/pools.js';

function problems(toml: string, options: ConfigOptions = {}, env: Record<string, string> = {}): string[] {
  try {
    parseConfig(toml, 'config.toml', env, options);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the config to be refused');
}

const SSM_DB = '[db.main]\ntype = "postgres"\ndsn = "postgres://report:${ssm:/sqljobber/prod/pw}@db.internal:5432/sales"\n';

describe('[api]', () => {
  it('defaults to IAM auth', () => {
    expect(parseConfig('', 'c', {}).api).toEqual({ auth: 'iam', jwtAudience: [], corsOrigins: [], reservedConcurrency: 20, throttleRate: 50, throttleBurst: 100 });
  });

  it('reads a JWT authorizer, one audience or several', () => {
    const one = parseConfig('[api]\nauth = "jwt"\njwt_issuer = "https://issuer.example/pool"\njwt_audience = "app"', 'c', {});
    expect(one.api).toMatchObject({ auth: 'jwt', jwtIssuer: 'https://issuer.example/pool', jwtAudience: ['app'] });
    const two = parseConfig('[api]\nauth = "jwt"\njwt_issuer = "https://i.example"\njwt_audience = ["a", "b"]', 'c', {});
    expect(two.api.jwtAudience).toEqual(['a', 'b']);
  });

  it('reads who is the tenant and who an operator', () => {
    const jwt = parseConfig('[api]\nauth = "jwt"\njwt_issuer = "https://i.example"\njwt_audience = "a"\ntenant_claim = "org_id"\noperator_scope = "admin"', 'c', {});
    expect(jwt.api).toMatchObject({ tenantClaim: 'org_id', operatorScope: 'admin' });
    const iam = parseConfig('[api]\noperator_arns = ["arn:aws:iam::123456789012:role/ops"]', 'c', {});
    expect(iam.api.operatorArns).toEqual(['arn:aws:iam::123456789012:role/ops']);
  });

  it('takes a loopback http issuer for a local run, and refuses it for a deployment', () => {
    const toml = '[api]\nauth = "jwt"\njwt_issuer = "http://127.0.0.1:4455"\njwt_audience = "a"';
    expect(parseConfig(toml, 'c', {}).api.jwtIssuer).toBe('http://127.0.0.1:4455');
    expect(() => parseConfig(toml, 'c', {}, { deploy: true })).toThrow(/api.jwt_issuer: "http:\/\/127.0.0.1:4455" is for a local run only/);
  });

  it.each([
    ['[api]\nauth = "basic"', 'api.auth: expected "iam", "jwt" or "none" (got "basic")'],
    ['[api]\nauth = "jwt"\njwt_audience = "a"', 'api.jwt_issuer: is required when auth = "jwt"'],
    ['[api]\nauth = "jwt"\njwt_issuer = "https://i.example"', 'api.jwt_audience: is required when auth = "jwt"'],
    ['[api]\nauth = "jwt"\njwt_issuer = "http://i.example"\njwt_audience = "a"', 'api.jwt_issuer: expected the https:// URL of the token issuer (or, for a local run only, http://127.0.0.1:PORT) (got "http://i.example")'],
    ['[api]\ntenant_claim = "org"', 'api.tenant_claim: is only used with auth = "jwt" (got "org")'],
    ['[api]\nauth = "jwt"\njwt_issuer = "https://i.example"\njwt_audience = "a"\noperator_scope = "two scopes"', 'api.operator_scope: expected one scope (printable characters, no spaces) (got "two scopes")'],
    ['[api]\nauth = "none"\noperator_arns = ["arn:aws:iam::123456789012:role/ops"]', 'api.operator_arns: is only used with auth = "iam" (got an array)'],
    ['[api]\noperator_arns = ["ops"]', 'api.operator_arns.0: expected an IAM principal ARN ("arn:aws:iam::123456789012:role/...") (got "ops")'],
    ['[api]\njwt_issuer = "https://i.example"', 'api.jwt_issuer: is only used with auth = "jwt" (got "https://i.example")'],
    ['[api]\nkey = "x"', 'api.key: unknown key (expected one of: auth, jwt_issuer, jwt_audience, cors_origins, reserved_concurrency, throttle_rate, throttle_burst, tenant_claim, operator_scope, operator_arns)'],
    ['[api]\ncors_origins = "https://a.example"', 'api.cors_origins: expected a list of origins such as ["https://a.example"] (got "https://a.example")'.replace('a.example"] (got', 'reports.example.com"] (got')],
    ['[api]\ncors_origins = ["*"]', 'api.cors_origins.0: expected an origin such as "https://reports.example.com" (scheme, host and port only; no path, no "*") (got "*")'],
    ['[api]\ncors_origins = ["https://a.example/app"]', 'api.cors_origins.0: expected an origin such as "https://reports.example.com" (scheme, host and port only; no path, no "*") (got "https://a.example/app")'],
    ['[api]\nreserved_concurrency = -1', 'api.reserved_concurrency: expected an integer from 0 to 1000 (got -1)'],
    ['[api]\nthrottle_rate = 0', 'api.throttle_rate: expected an integer from 1 to 10000 (got 0)'],
    ['[api]\nthrottle_burst = 1.5', 'api.throttle_burst: expected an integer from 1 to 5000 (got 1.5)'],
  ])('reports %j as %j', (toml, expected) => {
    expect(problems(toml)).toEqual([expected]);
  });

  it('reads the CORS origins (in lower case, once each) and the capacity settings', () => {
    const api = parseConfig(
      '[api]\ncors_origins = ["https://Reports.example.com", "http://127.0.0.1:5173", "https://reports.example.com"]\nreserved_concurrency = 0\nthrottle_rate = 5\nthrottle_burst = 10',
      'c',
      {},
    ).api;
    expect(api).toMatchObject({ corsOrigins: ['https://reports.example.com', 'http://127.0.0.1:5173'], reservedConcurrency: 0, throttleRate: 5, throttleBurst: 10 });
  });
});

describe('[aws]', () => {
  it('reads the VPC and the alarm topic', () => {
    const config = parseConfig(
      '[aws]\nalarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"\n[aws.vpc]\nsubnet_ids = ["subnet-0a1", "subnet-0b2"]\nsecurity_group_ids = ["sg-0c3"]',
      'c',
      {},
    );
    expect(config.aws).toEqual({
      alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:ops',
      vpc: { subnetIds: ['subnet-0a1', 'subnet-0b2'], securityGroupIds: ['sg-0c3'] },
    });
  });

  it('reports every problem with its key path', () => {
    expect(problems('[aws]\nalarm_topic_arn = "ops"\n[aws.vpc]\nsubnet_ids = []\nsecurity_group_ids = ["default"]\nvpc_id = "vpc-1"')).toEqual([
      'aws.vpc.subnet_ids: expected a non-empty list of subnet IDs ("subnet-...") (got an array)',
      'aws.vpc.security_group_ids.0: expected a security group ID ("sg-...") (got "default")',
      'aws.vpc.vpc_id: unknown key (expected one of: subnet_ids, security_group_ids)',
      'aws.alarm_topic_arn: expected an SNS topic ARN (got "ops")',
    ]);
  });
});

describe('secret references in dsns', () => {
  it('lists the references and leaves their dsns unresolved without values', () => {
    const config = parseConfig(`${SSM_DB}[results.r]\ntype = "mysql"\ndsn = "\${secretsmanager:rds!db-12#dsn}"`, 'c', {});
    expect(config.secretRefs).toEqual([
      { ref: 'ssm:/sqljobber/prod/pw', source: 'ssm', name: '/sqljobber/prod/pw' },
      { ref: 'secretsmanager:rds!db-12#dsn', source: 'secretsmanager', name: 'rds!db-12', key: 'dsn' },
    ]);
    expect(config.db.main!.unresolvedSecrets).toEqual(['ssm:/sqljobber/prod/pw']);
    expect(config.db.main!.dsn).toBe('postgres://report:${ssm:/sqljobber/prod/pw}@db.internal:5432/sales');
    expect(config.results.r!.unresolvedSecrets).toEqual(['secretsmanager:rds!db-12#dsn']);
  });

  it('substitutes resolved values and parses the dsn', () => {
    const config = parseConfig(SSM_DB, 'c', {}, { secrets: { 'ssm:/sqljobber/prod/pw': 's3cr%40t' } });
    expect(config.db.main!.unresolvedSecrets).toBeUndefined();
    expect(config.db.main!.connection).toMatchObject({ host: 'db.internal', user: 'report', password: 's3cr@t', database: 'sales' });
  });

  it('keeps a database with unresolved secrets out of the pools', () => {
    const config = parseConfig(SSM_DB, 'c', {});
    expect(() => pgPool(createDbPools(), config.db.main!)).toThrow(/main: its dsn's secrets \(ssm:\/sqljobber\/prod\/pw\) are not resolved/);
  });

  it('refuses malformed references', () => {
    expect(problems('[db.a]\ntype = "postgres"\ndsn = "${ssm:bad name}"')).toEqual([
      'db.a.dsn: ${ssm:bad name}: expected an SSM parameter name such as /sqljobber/prod/source-dsn (letters, digits, _ . - /) or its ARN',
    ]);
    expect(problems('[db.a]\ntype = "postgres"\ndsn = "${secretsmanager:x#}"')[0]).toMatch(/expected a JSON field name after "#"/);
  });

  it('for a deployment, refuses ${ENV} and passwords written in the file, never quoting them', () => {
    const found = problems(
      '[db.a]\ntype = "postgres"\ndsn = "postgres://u:Hunter2@h/d"\n' +
        '[db.b]\ntype = "mysql"\ndsn = "u:Hunter2@tcp(${ssm:/host}:3306)/d"\n' +
        '[db.c]\ntype = "postgres"\ndsn = "${PG_DSN}"\n' +
        '[db.d]\ntype = "postgres"\ndsn = "host=h user=u dbname=d"\n' +
        SSM_DB,
      { deploy: true },
      { PG_DSN: 'postgres://u:Hunter2@h/d' },
    );
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^db\.a\.dsn: holds a password, which would ship in the functions' code package; /);
    expect(found[1]).toMatch(/^db\.b\.dsn: holds a password/);
    expect(found[2]).toMatch(/^db\.c\.dsn: \$\{PG_DSN\} comes from the environment, which the deployed functions do not have/);
    expect(found.join('\n')).not.toContain('Hunter2');
  });
});

describe('resolveSecretRefs', () => {
  const reader = (values: Record<string, string>, calls: string[] = []): SecretReader => ({
    async parameter(name) {
      calls.push(`ssm:${name}`);
      if (!(name in values)) throw new Error('ParameterNotFound');
      return values[name]!;
    },
    async secret(name) {
      calls.push(`sm:${name}`);
      if (!(name in values)) throw new Error('ResourceNotFoundException');
      return values[name]!;
    },
  });

  it('reads each parameter and secret once, picking JSON fields', async () => {
    const calls: string[] = [];
    const config = parseConfig(
      '[db.a]\ntype = "postgres"\ndsn = "postgres://${secretsmanager:rds#username}:${secretsmanager:rds#password}@h/d"\n' +
        '[results.r]\ntype = "postgres"\ndsn = "${ssm:/p/dsn}"',
      'c',
      {},
    );
    const secrets = await resolveSecretRefs('c', config.secretRefs, reader({ rds: '{"username":"u","password":"pw","port":5432}', '/p/dsn': 'postgres://x@y/z' }, calls));
    expect(secrets).toEqual({ 'secretsmanager:rds#username': 'u', 'secretsmanager:rds#password': 'pw', 'ssm:/p/dsn': 'postgres://x@y/z' });
    expect(calls.sort()).toEqual(['sm:rds', 'ssm:/p/dsn']);
    const resolved = parseConfig(
      '[db.a]\ntype = "postgres"\ndsn = "postgres://${secretsmanager:rds#username}:${secretsmanager:rds#password}@h/d"\n' +
        '[results.r]\ntype = "postgres"\ndsn = "${ssm:/p/dsn}"',
      'c',
      {},
      { secrets },
    );
    expect(resolved.db.a!.connection).toMatchObject({ user: 'u', password: 'pw', host: 'h' });
    expect(resolved.results.r!.connection).toMatchObject({ user: 'x', host: 'y', database: 'z' });
  });

  it('reports every reference it could not read, without values', async () => {
    const config = parseConfig('[db.a]\ntype = "postgres"\ndsn = "${ssm:/missing}"\n[db.b]\ntype = "postgres"\ndsn = "${secretsmanager:plain#password}"', 'c', {});
    const err = await resolveSecretRefs('c', config.secretRefs, reader({ plain: 'not json' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      '${secretsmanager:plain#password}: the secret is not JSON, so it has no field "password"; drop "#password" to use the whole secret',
      '${ssm:/missing}: ParameterNotFound',
    ]);
    expect((err as Error).message).not.toContain('not json');
  });
});

describe('onColdStart', () => {
  it('builds the handler once, and tries a failed cold start again on the next call', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      if (loads === 1) throw new Error('SSM unreachable');
      return { settings: { service: 'x' } } as unknown as App;
    };
    let made = 0;
    const handler = onColdStart((app) => {
      made++;
      return async (n: number) => `${app().settings.service}:${n}`;
    }, load);
    await expect(handler(1)).rejects.toThrow('SSM unreachable');
    expect(await handler(2)).toBe('x:2');
    expect(await handler(3)).toBe('x:3');
    expect({ loads, made }).toEqual({ loads: 2, made: 1 });
  });
});
