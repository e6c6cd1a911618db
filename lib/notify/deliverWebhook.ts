import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from './signWebhook.js';

/** A receiver that does not answer within this is treated as a refusal. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Seconds before the next delivery after the n-th failed one: the first retry within 10 s, then longer, then every 15 min. */
export function webhookBackoffSeconds(failedAttempt: number): number {
  const steps = [5, 30, 120, 600];
  return steps[failedAttempt - 1] ?? 900;
}

/**
 * POSTs one event to one receiver, signed. Resolves to undefined on a 2xx answer,
 * else to the reason (status, timeout, network error). Redirects are not followed:
 * the only URLs called are the operator's. With `traceparent` (the delivery's span),
 * the receiver can continue the job's trace.
 */
export async function deliverWebhook(
  url: string,
  secret: string,
  eventId: string,
  body: string,
  fetchFn: typeof fetch = fetch,
  traceparent?: string,
): Promise<string | undefined> {
  try {
    const res = await fetchFn(url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'SQL-Jobber-Webhook/1',
        [EVENT_ID_HEADER]: eventId,
        [SIGNATURE_HEADER]: signWebhook(secret, body),
        ...(traceparent ? { traceparent } : {}),
      },
      body,
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await res.arrayBuffer().catch(() => undefined);
    return res.status >= 200 && res.status < 300 ? undefined : `HTTP ${res.status}`;
  } catch (err) {
    const e = err as Error;
    return e.name === 'TimeoutError' ? `no answer within ${WEBHOOK_TIMEOUT_MS / 1000} s` : `${e.name}: ${e.message}${e.cause ? ` (${String((e.cause as Error).message ?? e.cause)})` : ''}`;
  }
}
