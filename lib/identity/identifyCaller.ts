import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { ApiConfig } from '../config/types.js';
import { ForbiddenError, InvalidRequestError, UnauthorizedError } from '../errors.js';
import { quoteInput } from '../quoteInput.js';
import { DEFAULT_TENANT, type Caller } from './caller.js';
import { LocalJwtVerifier } from './localJwtVerifier.js';

/** The header in which a trusted backend (or an operator) names the tenant it acts for. */
export const TENANT_HEADER = 'x-tenant-id';
/** The characters and length of a tenant named in X-Tenant-Id. */
export const TENANT_PATTERN = /^[A-Za-z0-9._:@|+-]{1,128}$/;
/** The longest tenant a claim may name (any characters: it is hashed, lib/identity/tenantScope.ts). */
export const MAX_TENANT_CLAIM_LENGTH = 256;

/** `[api] tenant_claim`'s default. */
export const DEFAULT_TENANT_CLAIM = 'sub';
/** `[api] operator_scope`'s default. */
export const DEFAULT_OPERATOR_SCOPE = 'sqljobber/operator';

/** What API Gateway puts in a request's context (HTTP API, payload 2.0) once its authorizer passed it. */
interface AuthorizerContext {
  jwt?: { claims?: Record<string, unknown> };
  iam?: { userArn?: string };
}

/** Turns a request into its Caller (lib/identity/caller.ts). */
export type IdentifyCaller = (event: APIGatewayProxyEventV2) => Promise<Caller>;

/**
 * Who asks, from the request and `[api]`:
 * - `jwt`: the verified claims (deployed: from API Gateway's authorizer;
 *   locally: the bearer token, verified here as the authorizer would). The
 *   tenant is the `tenant_claim`; an operator carries `operator_scope` in
 *   `scope` or `scp`, and only an operator may act for another tenant (X-Tenant-Id).
 * - `iam`, `none`: a trusted backend, acting for the tenant in X-Tenant-Id, or
 *   the default tenant. Operators: with `iam` the principals of `operator_arns`
 *   (locally, where there is no IAM, every caller); with `none` every caller.
 */
export function callerIdentifier(
  api: Pick<ApiConfig, 'auth' | 'jwtIssuer' | 'jwtAudience' | 'tenantClaim' | 'operatorScope' | 'operatorArns'>,
  local: boolean,
): IdentifyCaller {
  const tenantClaim = api.tenantClaim ?? DEFAULT_TENANT_CLAIM;
  const operatorScope = api.operatorScope ?? DEFAULT_OPERATOR_SCOPE;
  if (api.auth === 'jwt') {
    const verifier = local ? new LocalJwtVerifier(api.jwtIssuer!, api.jwtAudience) : undefined;
    return async (event) => {
      const claims = verifier ? await verifier.verify(bearerToken(event)) : authorizer(event).jwt?.claims;
      if (!claims) throw new UnauthorizedError('no verified token: send "Authorization: Bearer <JWT>"');
      const operator = scopesOf(claims).includes(operatorScope);
      const tenant = claimTenant(claims, tenantClaim);
      const named = headerTenant(event);
      if (named !== undefined && !operator) throw new ForbiddenError(`X-Tenant-Id: only an operator (scope "${operatorScope}") may act for another tenant`);
      return Object.freeze({ tenant: named ?? tenant, operator, claims: Object.freeze({ ...claims }) });
    };
  }
  const operatorArns = new Set(api.operatorArns ?? []);
  return async (event) => {
    const arn = authorizer(event).iam?.userArn;
    const operator = api.auth === 'none' || local || (arn !== undefined && operatorArns.has(arn));
    return Object.freeze({ tenant: headerTenant(event) ?? DEFAULT_TENANT, operator, claims: Object.freeze({}) });
  };
}

function authorizer(event: APIGatewayProxyEventV2): AuthorizerContext {
  return ((event.requestContext as { authorizer?: AuthorizerContext } | undefined)?.authorizer ?? {}) as AuthorizerContext;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

function bearerToken(event: APIGatewayProxyEventV2): string {
  const value = header(event, 'authorization');
  const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
  if (!match) throw new UnauthorizedError('no token: send "Authorization: Bearer <JWT>"');
  return match[1]!;
}

/** The tenant named in X-Tenant-Id, checked; undefined when absent. */
function headerTenant(event: APIGatewayProxyEventV2): string | undefined {
  const value = header(event, TENANT_HEADER);
  if (value === undefined) return undefined;
  if (!TENANT_PATTERN.test(value)) {
    throw new InvalidRequestError(`X-Tenant-Id: 1 to 128 letters, digits and "._:@|+-" (got ${quoteInput(value)})`);
  }
  return value;
}

/**
 * The tenant a token's claim names. A token never reaches the default tenant
 * (whose jobs are those of trusted backends and of earlier versions), so a claim
 * naming it is refused.
 */
function claimTenant(claims: Record<string, unknown>, claim: string): string {
  const value = claims[claim];
  const tenant = typeof value === 'number' ? String(value) : value;
  if (typeof tenant !== 'string' || tenant === '') throw new UnauthorizedError(`the token has no "${claim}" claim to name its tenant`);
  if (tenant.length > MAX_TENANT_CLAIM_LENGTH) throw new UnauthorizedError(`the token's "${claim}" claim is longer than ${MAX_TENANT_CLAIM_LENGTH} characters`);
  if (tenant === DEFAULT_TENANT) throw new ForbiddenError(`the token's "${claim}" claim names the reserved tenant "${DEFAULT_TENANT}"`);
  return tenant;
}

/**
 * The scopes of a token: `scope` (space-separated, RFC 8693) and `scp` (a list,
 * or, as API Gateway hands claims over as strings, "[a b]" or a space-separated string).
 */
export function scopesOf(claims: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const value of [claims.scope, claims.scp]) {
    if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
    else if (typeof value === 'string') out.push(...value.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter(Boolean));
  }
  return out;
}
