import { resolveSecretRefs, type SecretReader } from '../config/resolveSecretRefs.js';
import type { NotifyConfig } from '../config/types.js';

/**
 * The webhook HMAC key: the literal of `[notify] webhook_secret`, or the value of
 * its secret reference, read once (by the delivery function, the only one allowed
 * to) and kept. A failed read is tried again on the next call.
 */
export function webhookSecret(notify: NotifyConfig, source: string, reader: () => SecretReader): () => Promise<string | undefined> {
  let value: Promise<string | undefined> | undefined;
  return () => {
    if (notify.webhookSecretRef === undefined) return Promise.resolve(notify.webhookSecret);
    const ref = notify.webhookSecretRef;
    value ??= resolveSecretRefs(source, [ref], reader()).then(
      (values) => values[ref.ref],
      (err: unknown) => {
        value = undefined;
        throw err;
      },
    );
    return value;
  };
}
