import type { JobItem } from './types.js';

/** Seconds since the epoch, DynamoDB's TTL unit. */
export const epochSeconds = (ms = Date.now()) => Math.floor(ms / 1000);

/** Expired (DynamoDB deletes late) or purged (a tombstone kept for stray messages): a record that reads as gone. */
export const isGone = (item: JobItem, now = epochSeconds()) => item.purged === true || (item.expires_at !== undefined && item.expires_at <= now);
