import type { ApiConfig } from '../config/types.js';

/** Name of the JWT authorizer in serverless.yml's provider.httpApi.authorizers. */
export const JWT_AUTHORIZER = 'jwt';

/**
 * serverless.yml `provider.httpApi`: the JWT authorizer when `[api] auth = "jwt"`
 * (tokens in the Authorization header, checked against the issuer's keys and the
 * audiences), nothing otherwise.
 */
export function httpApiSettings(api: ApiConfig) {
  if (api.auth !== 'jwt') return {};
  return {
    authorizers: {
      [JWT_AUTHORIZER]: {
        type: 'jwt',
        identitySource: '$request.header.Authorization',
        issuerUrl: api.jwtIssuer,
        audience: [...api.jwtAudience],
      },
    },
  };
}

/**
 * The `authorizer` of every HTTP route: IAM (SigV4-signed requests from principals
 * allowed execute-api:Invoke) by default, the JWT authorizer, or none when a user
 * opted out with `auth = "none"`.
 */
export function routeAuthorizer(api: ApiConfig): { type: 'aws_iam' } | { name: string } | undefined {
  if (api.auth === 'iam') return { type: 'aws_iam' };
  if (api.auth === 'jwt') return { name: JWT_AUTHORIZER };
  return undefined;
}
