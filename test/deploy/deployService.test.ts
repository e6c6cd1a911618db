/**
 * deployService: what config.toml's [api] and [aws] sections change in the
 * generated serverless.yml parts (the full template is checked in package.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { capacityNotes, deployNotes, deployService } from '../../lib/deploy/deployService.js';
import { admissionOn } from '../../lib/config/types.js';
import { NO_BROWSER_ORIGIN } from '../../lib/deploy/apiCors.js';
import { FUNCTION_ACCESS } from '../../lib/deploy/functionAccess.js';
import { CONSOLE_FUNCTION } from '../../lib/deploy/serviceDefinition.js';
import { ConfigError } from '../../lib/errors.js';

const names = { service: 'sql-jobber', stage: 'prod' };
type Fn = { events?: { httpApi?: { authorizer?: unknown } }[]; vpc?: unknown; role?: string };
/** The HTTP routes of the functions, the console's static files (always open) left out unless asked for. */
const routes = (fns: Record<string, unknown>, which: 'api' | 'console' = 'api') =>
  Object.entries(fns as Record<string, Fn>)
    .filter(([key]) => (key === CONSOLE_FUNCTION) === (which === 'console'))
    .flatMap(([, f]) => (f.events ?? []).filter((e) => e.httpApi).map((e) => e.httpApi!));

describe('deployService', () => {
  it('puts every route behind a JWT authorizer when [api] auth = "jwt"', () => {
    const config = parseConfig('[api]\nauth = "jwt"\njwt_issuer = "https://issuer.example/pool"\njwt_audience = ["app", "cli"]', 'c', {});
    const out = deployService(config, names);
    expect(out.httpApi).toEqual({
      authorizers: {
        jwt: { type: 'jwt', identitySource: '$request.header.Authorization', issuerUrl: 'https://issuer.example/pool', audience: ['app', 'cli'] },
      },
    });
    expect(routes(out.functions).length).toBeGreaterThan(0);
    for (const route of routes(out.functions)) expect(route.authorizer).toEqual({ name: 'jwt' });
    // The console's files hold no data; the console sends the token with each API call.
    expect(routes(out.functions, 'console')).toHaveLength(2);
    for (const route of routes(out.functions, 'console')) expect(route.authorizer).toBeUndefined();
  });

  it('leaves the routes open only when [api] auth = "none"', () => {
    const out = deployService(parseConfig('[api]\nauth = "none"', 'c', {}), names);
    expect(out.httpApi).toEqual({});
    for (const route of routes(out.functions)) expect(route.authorizer).toBeUndefined();
  });

  it('uses IAM auth by default, and no VPC without [aws.vpc]', () => {
    const out = deployService(parseConfig('', 'c', {}), names);
    for (const route of routes(out.functions)) expect(route.authorizer).toEqual({ type: 'aws_iam' });
    for (const route of routes(out.functions, 'console')) expect(route.authorizer).toBeUndefined();
    for (const fn of Object.values(out.functions as Record<string, Fn>)) expect(fn.vpc).toBeUndefined();
  });

  it('refuses a function it has no access entry for, and names too long for AWS', () => {
    const saved = FUNCTION_ACCESS.getJob;
    delete FUNCTION_ACCESS.getJob;
    try {
      const config = parseConfig(`[queues.${'q'.repeat(60)}]`, 'c', {});
      const err = (() => {
        try {
          deployService(config, { service: 'sql-jobber', stage: 'production' });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toContainEqual(expect.stringMatching(/^function getJob: no entry in FUNCTION_ACCESS/));
      expect(problems).toContainEqual(expect.stringMatching(/^queues\.q{60}: the dead-letter queue name ".*" has 86 characters \(SQS allows 80\)/));
      expect(problems).toContainEqual(expect.stringMatching(/^queues\.q{60}: the function name ".*" has 89 characters \(Lambda allows 64\)/));
    } finally {
      FUNCTION_ACCESS.getJob = saved!;
    }
  });

  it('needs no note for a concurrency of 1: its event source runs 2 pollers, admission admits one job at a time', () => {
    const config = parseConfig('[queues.one]\nconcurrency = 1\n[queues.two]\nconcurrency = 2', 'c', {});
    expect(deployNotes(config)).toEqual([]);
    expect(admissionOn(config.queues.one!)).toBe(true);
    expect(admissionOn(config.queues.two!)).toBe(false);
  });

  it('sets CORS only for the origins [api] cors_origins lists, and locally always (no origin: none allowed)', () => {
    expect(deployService(parseConfig('', 'c', {}), names).httpApi).not.toHaveProperty('cors');
    const local = deployService(parseConfig('', 'c', {}), names, { local: true }).httpApi as { cors?: { allowedOrigins: string[]; allowCredentials?: boolean } };
    expect(local.cors?.allowedOrigins).toEqual([NO_BROWSER_ORIGIN]);
    const listed = deployService(parseConfig('[api]\ncors_origins = ["https://reports.example.com"]', 'c', {}), names).httpApi as typeof local;
    expect(listed.cors?.allowedOrigins).toEqual(['https://reports.example.com']);
    expect(listed.cors?.allowCredentials).toBeUndefined();
  });

  it('reserves concurrency per function, throttles the API, and reserves nothing with reserved_concurrency = 0', () => {
    const out = deployService(parseConfig('[queues.q]\nconcurrency = 7\n[api]\nreserved_concurrency = 15\nthrottle_rate = 9\nthrottle_burst = 18', 'c', {}), names);
    const fns = out.functions as Record<string, { reservedConcurrency?: number }>;
    expect(fns.getJob!.reservedConcurrency).toBe(15);
    expect(fns['worker-q']!.reservedConcurrency).toBe(7);
    expect(fns.sweeper!.reservedConcurrency).toBe(2);
    expect(out.extensions).toEqual({ HttpApiStage: { Properties: { DefaultRouteSettings: { ThrottlingRateLimit: 9, ThrottlingBurstLimit: 18 } } } });
    expect(capacityNotes(parseConfig('[queues.q]\nconcurrency = 7\n[api]\nreserved_concurrency = 15', 'c', {}), names)[0]).toMatch(/reserve \d+ of the account's Lambda concurrency/);
    const none = deployService(parseConfig('[api]\nreserved_concurrency = 0', 'c', {}), names).functions as typeof fns;
    for (const fn of Object.values(none)) expect(fn.reservedConcurrency).toBeUndefined();
    expect(capacityNotes(parseConfig('[api]\nreserved_concurrency = 0', 'c', {}), names)).toEqual([]);
  });

  it('creates the export bucket encrypted, private, TLS only, with a lifecycle rule on the prefix; S3 grants only under the prefix, and only what each function does', () => {
    const config = parseConfig('[queues.q]\n[app]\nmax_job_ttl = "10d"\n[export]\nbucket = "acme-exports"\nprefix = "reports"\n[notify]\nsns = true\n', 'c', {});
    const out = deployService(config, names);
    const res = out.resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const bucket = res.ExportBucket!;
    expect(bucket.Type).toBe('AWS::S3::Bucket');
    expect(bucket.Properties.BucketName).toBe('acme-exports');
    expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }] });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    // 10 days of TTL and a worker's 15 minutes, in whole days, plus one.
    expect(bucket.Properties.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'expire-exports', Status: 'Enabled', Prefix: 'reports/', ExpirationInDays: 12, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
    });
    const policy = JSON.stringify(res.ExportBucketPolicy!.Properties.PolicyDocument);
    expect(policy).toContain('"aws:SecureTransport":"false"');

    type Role = { Properties: { Policies: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown; Condition?: unknown }[] } }[] } };
    const fns = out.functions as Record<string, { role?: string }>;
    const statementsOf = (fn: string) =>
      (res[fns[fn]!.role!] as unknown as Role).Properties.Policies[0]!.PolicyDocument.Statement.filter((st) => st.Action.some((a) => a.startsWith('s3:')));
    const objects = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-exports/reports/*']] };
    const bucketArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-exports']] };
    const listing = { Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucketArn, Condition: { StringLike: { 's3:prefix': 'reports/*' } } };
    expect(statementsOf('worker-q')).toEqual([
      { Effect: 'Allow', Action: ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:PutObject'], Resource: objects },
      listing,
    ]);
    // The API presigns reads, and may do nothing else: a URL carries its signer's rights. So does the
    // notify function, for the manifest URL in an export's completion event.
    for (const fn of ['getExport', 'notify']) expect(statementsOf(fn), fn).toEqual([{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: objects }]);
    expect(statementsOf('sweeper')).toEqual([{ Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: objects }, listing]);
    // A purge deletes the export's objects, whose keys its record gives: delete, and no listing.
    for (const fn of ['cancelJob', 'cancelGroup']) expect(statementsOf(fn), fn).toEqual([{ Effect: 'Allow', Action: ['s3:DeleteObject'], Resource: objects }]);
    for (const fn of Object.keys(fns).filter((k) => !['worker-q', 'getExport', 'notify', 'sweeper', 'cancelJob', 'cancelGroup'].includes(k))) expect(statementsOf(fn), fn).toEqual([]);

    // Without [export]: no bucket, no S3 grant.
    const plain = deployService(parseConfig('[queues.q]', 'c', {}), names);
    expect(Object.keys(plain.resources)).not.toContain('ExportBucket');
    expect(JSON.stringify(plain.resources)).not.toContain('s3:');
  });
});
