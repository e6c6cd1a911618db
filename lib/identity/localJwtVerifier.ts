import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { UnauthorizedError } from '../errors.js';

/** The algorithms API Gateway's JWT authorizer accepts: RSA signatures. */
const ALGORITHMS = [256, 384, 512].map((bits) => `RS${bits}`);

/**
 * Verifies bearer tokens as API Gateway's JWT authorizer does, for the local
 * stack (deployed, the authorizer has done it before the function runs): the
 * issuer's discovery document (`<issuer>/.well-known/openid-configuration`)
 * names its JWKS; the signature, issuer, audience and expiry are checked.
 * The keys are fetched once and again when a token names an unknown key.
 */
export class LocalJwtVerifier {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly audience: readonly string[],
  ) {}

  /** The verified claims of `token`, or UnauthorizedError saying what was wrong. */
  async verify(token: string): Promise<Record<string, unknown>> {
    const keys = await this.jwks();
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: this.issuer, audience: [...this.audience], algorithms: ALGORITHMS, requiredClaims: ['exp'] });
      return payload as Record<string, unknown>;
    } catch (err) {
      throw new UnauthorizedError(`invalid token: ${(err as Error).message.slice(0, 200)}`);
    }
  }

  private jwks(): Promise<JWTVerifyGetKey> {
    this.keys ??= discoverJwks(this.issuer).catch((err: unknown) => {
      this.keys = undefined; // an issuer that was down may be up at the next request
      throw err;
    });
    return this.keys;
  }
}

async function discoverJwks(issuer: string): Promise<JWTVerifyGetKey> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const doc = (await res.json()) as { jwks_uri?: unknown };
  if (typeof doc.jwks_uri !== 'string') throw new Error(`${url}: no jwks_uri`);
  return createRemoteJWKSet(new URL(doc.jwks_uri));
}
