import * as z from 'zod';
import type { Config } from '../config/types.js';
import { InvalidRequestError } from '../errors.js';

/** The windows GET /queues/stats answers, each cut into buckets. */
export const STATS_WINDOWS = {
  '1h': { ms: 3_600_000, bucketMs: 60_000 },
  '1d': { ms: 86_400_000, bucketMs: 900_000 },
} as const;
export type StatsWindow = keyof typeof STATS_WINDOWS;

/** GET /queues/stats's query string, as validated (and as the OpenAPI document describes it). */
export const queueStatsQuery = z.strictObject(
  {
    window: z
      .enum(Object.keys(STATS_WINDOWS) as [StatsWindow, ...StatsWindow[]], { error: 'window: expected "1h" or "1d"' })
      .optional()
      .describe('the last hour (`1h`, one-minute buckets; the default) or the last day (`1d`, 15-minute buckets)'),
    queue: z.string().min(1).max(256).optional().describe('only this queue (default: every configured queue)'),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown query parameter(s): ${iss.keys.join(', ')}` : undefined) },
);

/** Validates GET /queues/stats's query string; a bad value is a 400 naming the parameter. */
export function parseQueueStatsQuery(query: Record<string, string | undefined>, config: Config): { window: StatsWindow; queue?: string } {
  const parsed = queueStatsQuery.safeParse(query);
  if (!parsed.success) {
    const at = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    throw new InvalidRequestError(parsed.error.issues.map((i) => at(i) + i.message).join('; '));
  }
  const { window = '1h', queue } = parsed.data;
  if (queue !== undefined && !Object.hasOwn(config.queues, queue)) {
    throw new InvalidRequestError(`queue: unknown queue "${queue}" (configured: ${Object.keys(config.queues).join(', ')})`);
  }
  return queue === undefined ? { window } : { window, queue };
}
