/**
 * deployService: what config.toml's [api] and [aws] sections change in the
 * generated serverless.yml parts (the full template is checked in package.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { deployNotes, deployService } from '../../lib/deploy/deployService.js';
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

  it('notes that a concurrency of 1 runs as 2', () => {
    expect(deployNotes(parseConfig('[queues.one]\nconcurrency = 1\n[queues.two]\nconcurrency = 2', 'c', {}))).toEqual([
      expect.stringMatching(/^queues\.one\.concurrency = 1 runs as 2 in AWS/),
    ]);
  });
});
