const BACKOFF_BASE_MS = 1_000;

/** Exponential backoff with jitter for attempt n (1-based), capped at SQS's 900 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(900_000, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
