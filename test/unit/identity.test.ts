/** Who asks (lib/identity): the Caller of a request under each `[api] auth`, and how tenants' IDs are scoped. */
import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { DEFAULT_TENANT } from '../../lib/identity/caller.js';
import { callerIdentifier, scopesOf } from '../../lib/identity/identifyCaller.js';
import { ownedBy, scopeId, tagOf, tenantTag, wireId } from '../../lib/identity/tenantScope.js';
import { JOB_ID_PATTERN } from '../../lib/jobs/jobId.js';

const event = (o: { headers?: Record<string, string>; claims?: Record<string, unknown>; arn?: string } = {}) =>
  ({
    headers: o.headers ?? {},
    requestContext: { authorizer: { ...(o.claims ? { jwt: { claims: o.claims } } : {}), ...(o.arn ? { iam: { userArn: o.arn } } : {}) } },
  }) as unknown as APIGatewayProxyEventV2;

const JWT = { auth: 'jwt', jwtIssuer: 'https://issuer.example', jwtAudience: ['a'] } as const;

describe('tenant scope', () => {
  it("keeps the default tenant's IDs as they are, and prefixes every other tenant's with its tag", () => {
    expect(scopeId(DEFAULT_TENANT, 'monthly-report')).toBe('monthly-report');
    const scoped = scopeId('alice', 'monthly-report');
    expect(scoped).toBe(`${tenantTag('alice')}~monthly-report`);
    expect(wireId(scoped)).toBe('monthly-report');
    expect(tagOf(scoped)).toBe(tenantTag('alice'));
    expect(ownedBy(scoped, 'alice')).toBe(true);
    expect(ownedBy(scoped, 'bob')).toBe(false);
    expect(ownedBy('monthly-report', DEFAULT_TENANT)).toBe(true);
    expect(ownedBy(scoped, DEFAULT_TENANT)).toBe(false);
  });

  it('never gives a scoped ID that a default-tenant job could have', () => {
    expect(JOB_ID_PATTERN.test(scopeId('alice', 'x'))).toBe(false);
  });

  it('tags are 12 lower-case base32 characters, stable, and differ between tenants', () => {
    const tags = new Set(Array.from({ length: 2000 }, (_, i) => tenantTag(`tenant-${i}`)));
    expect(tags.size).toBe(2000);
    for (const tag of tags) expect(tag).toMatch(/^[a-z2-7]{12}$/);
    expect(tenantTag('alice')).toBe(tenantTag('alice'));
  });
});

describe('callerIdentifier', () => {
  it('jwt (deployed): the tenant claim, operators by scope or scp, the claims kept', async () => {
    const identify = callerIdentifier(JWT, false);
    await expect(identify(event({ claims: { sub: 'alice' } }))).resolves.toEqual({ tenant: 'alice', operator: false, claims: { sub: 'alice' } });
    await expect(identify(event({ claims: { sub: 'ops', scope: 'openid sqljobber/operator' } }))).resolves.toMatchObject({ operator: true });
    await expect(identify(event({ claims: { sub: 'ops', scp: '[sqljobber/operator other]' } }))).resolves.toMatchObject({ operator: true });
    await expect(identify(event({ claims: { sub: 'ops', scp: ['sqljobber/operator'] } }))).resolves.toMatchObject({ operator: true });
    const custom = callerIdentifier({ ...JWT, tenantClaim: 'org', operatorScope: 'admin' }, false);
    await expect(custom(event({ claims: { sub: 'u1', org: 'acme', scope: 'admin' } }))).resolves.toMatchObject({ tenant: 'acme', operator: true });
  });

  it('jwt: no claims, no tenant claim, or the reserved default tenant are refused', async () => {
    const identify = callerIdentifier(JWT, false);
    await expect(identify(event())).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(identify(event({ claims: { aud: 'a' } }))).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(identify(event({ claims: { sub: DEFAULT_TENANT } }))).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('jwt: only an operator may name another tenant in X-Tenant-Id', async () => {
    const identify = callerIdentifier(JWT, false);
    await expect(identify(event({ claims: { sub: 'alice' }, headers: { 'X-Tenant-Id': 'bob' } }))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(identify(event({ claims: { sub: 'ops', scope: 'sqljobber/operator' }, headers: { 'x-tenant-id': 'bob' } }))).resolves.toMatchObject({ tenant: 'bob', operator: true });
  });

  it('iam: the tenant from X-Tenant-Id or the default one; operators from the configured ARNs (everyone locally)', async () => {
    const arn = 'arn:aws:iam::123456789012:role/ops';
    const identify = callerIdentifier({ auth: 'iam', jwtAudience: [], operatorArns: [arn] }, false);
    await expect(identify(event())).resolves.toEqual({ tenant: DEFAULT_TENANT, operator: false, claims: {} });
    await expect(identify(event({ arn, headers: { 'x-tenant-id': 'acme' } }))).resolves.toEqual({ tenant: 'acme', operator: true, claims: {} });
    await expect(callerIdentifier({ auth: 'iam', jwtAudience: [] }, true)(event())).resolves.toMatchObject({ operator: true });
  });

  it('none: everyone is an operator; a malformed X-Tenant-Id is a 400', async () => {
    const identify = callerIdentifier({ auth: 'none', jwtAudience: [] }, false);
    await expect(identify(event())).resolves.toMatchObject({ tenant: DEFAULT_TENANT, operator: true });
    for (const bad of ['', 'a b', 'x'.repeat(129), 'ü', 'a~b']) {
      await expect(identify(event({ headers: { 'x-tenant-id': bad } }))).rejects.toMatchObject({ code: 'invalid_request' });
    }
  });

  it('reads scopes from scope and scp', () => {
    expect(scopesOf({ scope: 'a b', scp: ['c'] })).toEqual(['a', 'b', 'c']);
    expect(scopesOf({ scp: '[d e]' })).toEqual(['d', 'e']);
    expect(scopesOf({ scope: 3 })).toEqual([]);
  });
});
