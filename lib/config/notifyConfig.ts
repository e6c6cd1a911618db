import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { parseDurationMs } from './parseDurationMs.js';
import { SECRET_SOURCE, parseSecretRef } from './parseSecretRef.js';
import type { NotifyConfig } from './types.js';

/** Webhook deliveries are retried for at most this long, then dead-lettered (the contract). */
export const MAX_WEBHOOK_RETRY_MS = 24 * 3600 * 1000;
export const MAX_WEBHOOKS = 10;

/** The queue name the completion events use: a `[queues]` section may not take it. */
export const NOTIFY_QUEUE = 'notify';

const WEBHOOK_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;

/** The `[notify]` keys (config.toml). */
export const notifyFields = {
  webhooks: z
    .array(z.string().regex(WEBHOOK_URL, { error: 'expected http:// or https:// URLs' }), { error: 'expected a list of http:// or https:// URLs' })
    .default([]),
  webhook_secret: z.string({ error: 'expected a string' }).min(1, { error: 'expected a non-empty string' }).optional(),
  sns: z.boolean({ error: 'expected true or false' }).default(false),
  eventbridge: z.boolean({ error: 'expected true or false' }).default(false),
  retry_for: z.unknown().optional(),
};

export type NotifyInput = z.output<z.ZodObject<typeof notifyFields>>;

/**
 * Validates `[notify]` beyond its types and builds NotifyConfig; appends problems as
 * `notify.KEY: what is wrong`. `webhook_secret` is either a literal (local use) or
 * exactly one `${ssm:NAME}` / `${secretsmanager:NAME[#KEY]}` reference, which is what
 * a deployment requires (a literal would ship in the code package).
 */
export function readNotifyConfig(input: NotifyInput, deploy: boolean, problems: string[]): NotifyConfig {
  if (input.webhooks.length > MAX_WEBHOOKS) problems.push(`notify.webhooks: expected at most ${MAX_WEBHOOKS} URLs`);
  const retryMs = parseDurationMs(input.retry_for ?? '24h');
  let retryForMs = MAX_WEBHOOK_RETRY_MS;
  if (retryMs === undefined || retryMs < 1000 || retryMs > MAX_WEBHOOK_RETRY_MS) {
    problems.push('notify.retry_for: expected a duration from 1s to 24h, such as "24h" or "30m"');
  } else retryForMs = retryMs;
  const secret = input.webhook_secret;
  let secretRef: NotifyConfig['webhookSecretRef'];
  if (secret !== undefined) {
    const ref = /^\$\{([^}]*)\}$/.exec(secret)?.[1];
    if (ref !== undefined && SECRET_SOURCE.test(ref)) {
      try {
        secretRef = parseSecretRef(ref);
      } catch (err) {
        problems.push(`notify.webhook_secret: ${(err as Error).message}`);
      }
    } else if (secret.includes('${')) {
      problems.push('notify.webhook_secret: expected a literal or exactly one ${ssm:NAME} / ${secretsmanager:NAME} reference');
    } else if (deploy) {
      problems.push('notify.webhook_secret: a literal would ship in the functions\' code package; store it in SSM Parameter Store or Secrets Manager and write ${ssm:/name} or ${secretsmanager:name}');
    }
  }
  if (input.webhooks.length > 0 && secret === undefined) problems.push('notify.webhook_secret: is required when notify.webhooks is set (each delivery is signed with it)');
  return {
    webhooks: input.webhooks,
    ...(secretRef ? { webhookSecretRef: secretRef } : secret !== undefined ? { webhookSecret: secret } : {}),
    sns: input.sns,
    eventbridge: input.eventbridge,
    retryForMs,
  };
}

/** Whether any completion event is configured (else nothing is announced or deployed for them). */
export const notifyEnabled = (n: NotifyConfig) => n.webhooks.length > 0 || n.sns || n.eventbridge;
