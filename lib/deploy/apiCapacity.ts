import type { ApiConfig } from '../config/types.js';

/**
 * Capacity settings: who may use how much of the account's Lambda concurrency,
 * and how fast callers may send requests. `?wait=20` holds an execution for 20 s,
 * so without caps a thousand long polls could take the whole account's
 * concurrency and starve the workers, the sweeper and the notify function.
 */

/** The logical ID serverless gives the HTTP API's `$default` stage. */
export const HTTP_API_STAGE_ID = 'HttpApiStage';

/** The sweeper's reservation: one run a minute, and room for a slow one to overlap the next. */
export const SWEEPER_RESERVED = 2;

/**
 * A function's `reservedConcurrency`, or undefined when `[api] reserved_concurrency = 0`
 * turns reservations off. An HTTP function gets `[api] reserved_concurrency` (its
 * cap, too); a function fed by SQS gets its event source's `maximumConcurrency`
 * (`pollers`), so the API can never take what it needs; the sweeper gets
 * SWEEPER_RESERVED.
 */
export function reservedConcurrency(api: Pick<ApiConfig, 'reservedConcurrency'>, kind: { http: true } | { pollers: number } | { sweeper: true }): number | undefined {
  if (api.reservedConcurrency === 0) return undefined;
  if ('http' in kind) return api.reservedConcurrency;
  if ('pollers' in kind) return kind.pollers;
  return SWEEPER_RESERVED;
}

/**
 * serverless.yml `resources.extensions`: the HTTP API stage's default route
 * throttling (`[api] throttle_rate` requests per second, bursts of
 * `throttle_burst`). Requests above it answer 429 at API Gateway, before any
 * function runs.
 */
export function apiThrottling(api: Pick<ApiConfig, 'throttleRate' | 'throttleBurst'>) {
  return {
    [HTTP_API_STAGE_ID]: {
      Properties: { DefaultRouteSettings: { ThrottlingRateLimit: api.throttleRate, ThrottlingBurstLimit: api.throttleBurst } },
    },
  };
}
