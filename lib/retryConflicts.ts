import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** Cancellation reasons that say "try again", as opposed to a failed condition. */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);
/** Errors of single-item calls that are transient (the SDK retries throttling itself, a few times). */
const TRANSIENT_ERRORS = new Set([
  'TransactionConflictException',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);

/**
 * True for a DynamoDB error that means "not now" rather than "no": a transaction
 * cancelled only for conflicts or throttling, a single write that raced a
 * transaction, throttling. Never true when a condition failed: that is an answer.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransactionCanceledException) {
    const codes = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
    return !codes.includes('ConditionalCheckFailed') && codes.some((c) => TRANSIENT_REASONS.has(c));
  }
  return err instanceof Error && TRANSIENT_ERRORS.has(err.name);
}

/**
 * Runs a DynamoDB write, again on transient errors (see `isTransient`), with
 * jittered exponential backoff; after `attempts` tries the last error is thrown,
 * never mistaken for "already done".
 */
export async function retryConflicts<T>(write: () => Promise<T>, attempts = 12): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await write();
    } catch (err) {
      if (n >= attempts || !isTransient(err)) throw err;
      const base = Math.min(400, 10 * 2 ** n);
      await new Promise((r) => setTimeout(r, base / 2 + Math.random() * base));
    }
  }
}
