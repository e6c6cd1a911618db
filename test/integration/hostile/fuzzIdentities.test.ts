/**
 * The fuzz test's identities (`[api] auth = "jwt"`, real RS256 tokens from an
 * issuer of the test's own, verified as the local stack verifies them): every
 * route, called with no token, an expired one, one for another audience, one
 * signed by a key the issuer does not publish, a malformed one, a tenant's, an
 * operator's, with or without a hostile X-Tenant-Id, answers below 500, and
 * never shows one tenant's job to another.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHandlerWorld, WORLD_CONFIG, type HandlerWorld, type RequestParts, type Route } from '../../support/handlerWorld.js';
import { hostileString } from '../../support/hostileValues.js';
import { startJwtIssuer, TEST_AUDIENCE, type JwtIssuer } from '../../support/jwtIssuer.js';

let issuer: JwtIssuer;
let world: HandlerWorld;
const tokens: Record<string, string | undefined> = {};

beforeAll(async () => {
  issuer = await startJwtIssuer();
  world = await startHandlerWorld({ config: `${WORLD_CONFIG}\n[api]\nauth = "jwt"\njwt_issuer = "${issuer.url}"\njwt_audience = "${TEST_AUDIENCE}"\n` });
  Object.assign(tokens, {
    missing: undefined,
    expired: await issuer.token({ sub: 'alice' }, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    wrongAudience: await issuer.token({ sub: 'alice' }, { audience: 'elsewhere' }),
    foreignKey: await issuer.token({ sub: 'alice' }, { key: issuer.foreignKey }),
    noTenant: await issuer.token({ scope: 'sqljobber/operator' }),
    garbage: 'a.b.c',
    alice: await issuer.token({ sub: 'alice' }),
    bob: await issuer.token({ sub: 'bob' }),
    operator: await issuer.token({ sub: 'ops', scope: 'sqljobber/operator' }),
  });
  const made = await world.request('POST /tasks/{taskName}/jobs', {
    pathParameters: { taskName: 'two_args' },
    headers: { authorization: `Bearer ${tokens.alice}` },
    body: JSON.stringify({ job_id: 'alice-job', args: ['1', '2'] }),
  });
  expect(made.statusCode, made.body).toBe(200);
}, 120_000);

afterAll(async () => {
  await world?.stop();
  await issuer?.close();
});

const ids = fc.constantFrom('alice-job', 'nobody-job', 'queue');
const request = fc.record({
  route: fc.constantFrom<Route>(
    'GET /tasks', 'POST /tasks/{taskName}/jobs', 'GET /jobs/{jobID}', 'GET /jobs/queue/{queue}', 'DELETE /jobs/{jobID}', 'POST /groups',
    'GET /groups/{groupID}', 'DELETE /groups/{groupID}', 'GET /jobs/{jobID}/results', 'GET /jobs', 'GET /queues', 'GET /queues/stats',
  ),
  who: fc.constantFrom(...['missing', 'expired', 'wrongAudience', 'foreignKey', 'noTenant', 'garbage', 'alice', 'bob', 'operator']),
  tenantHeader: fc.option(fc.oneof(fc.constantFrom('alice', 'bob', 'default'), hostileString), { nil: undefined }),
  jobId: ids,
  query: fc.option(fc.constantFrom<Record<string, string>>({ tenant: 'alice' }, { purge: 'true' }, { run: 'x' }, { wait: '1' }), { nil: undefined }),
});

describe('hostile identities', () => {
  it('answer below 500 on every route, and never show one tenant\'s job to another', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const token = tokens[r.who];
        const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(r.tenantHeader === undefined ? {} : { 'x-tenant-id': r.tenantHeader }) };
        const parts: RequestParts = {
          headers,
          pathParameters: { taskName: 'two_args', jobID: r.jobId, groupID: r.jobId, queue: 'fuzz_q' },
          ...(r.query ? { queryStringParameters: r.query } : {}),
          ...(r.route === 'POST /tasks/{taskName}/jobs' ? { body: JSON.stringify({ args: ['1', '2'] }) } : {}),
          ...(r.route === 'POST /groups' ? { body: JSON.stringify({ jobs: [{ task: 'no_args' }] }) } : {}),
        };
        const answer = await world.request(r.route, parts);
        statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
        expect(answer.statusCode, `${r.route} as ${r.who}: ${answer.body}`).toBeLessThan(500);
        if (['missing', 'expired', 'wrongAudience', 'foreignKey', 'noTenant', 'garbage'].includes(r.who)) expect(answer.statusCode).toBe(401);
        // Nobody but alice (or an operator acting for her) reads alice's job.
        const actsForAlice = (r.who === 'alice' && r.tenantHeader === undefined) || (r.who === 'operator' && r.tenantHeader === 'alice');
        if (!actsForAlice && r.route === 'GET /jobs/{jobID}' && r.jobId === 'alice-job' && answer.statusCode === 200) {
          throw new Error(`alice's job shown to ${r.who} (X-Tenant-Id ${String(r.tenantHeader)})`);
        }
        if (r.route === 'GET /jobs' && answer.statusCode === 200 && !actsForAlice && r.who !== 'operator') {
          expect((answer.json?.data as { jobs: { job_id: string }[] }).jobs.map((j) => j.job_id)).not.toContain('alice-job');
        }
      }),
      { numRuns: 150 },
    );
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
  });
});
