import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWTPayload } from 'jose';

/**
 * A token issuer of a test's own: an HTTP server on 127.0.0.1 (a free port)
 * serving the OpenID discovery document and its JWKS, and real RS256 tokens
 * signed with its key, as an identity provider would issue them.
 */
export interface JwtIssuer {
  /** `http://127.0.0.1:PORT`: the `[api] jwt_issuer` of the stack under test. */
  url: string;
  /** A signed token: `iss` this issuer, `aud` as given (default the test audience), `exp` in an hour unless `payload` says otherwise. */
  token(payload: JWTPayload & { scope?: string }, opts?: { audience?: string; expiresIn?: string | number; key?: CryptoKey }): Promise<string>;
  /** A key this issuer does not publish (a token signed with it must be refused). */
  foreignKey: CryptoKey;
  close(): Promise<void>;
}

export const TEST_AUDIENCE = 'sqljobber-test';

export async function startJwtIssuer(): Promise<JwtIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let url = '';
  const server: Server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') return send({ issuer: url, jwks_uri: `${url}/jwks.json` });
    if (req.url === '/jwks.json') return send({ keys: [jwk] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    foreignKey: foreign.privateKey,
    async token(payload, opts = {}) {
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(url)
        .setAudience(opts.audience ?? TEST_AUDIENCE)
        .setIssuedAt(typeof opts.expiresIn === 'number' && opts.expiresIn < 0 ? Math.floor(Date.now() / 1000) - 7200 : undefined)
        .setExpirationTime(opts.expiresIn ?? '1h')
        .sign(opts.key ?? privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
