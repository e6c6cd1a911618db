import * as z from 'zod';
import type { Config } from '../config/types.js';
import { InvalidRequestError } from '../errors.js';
import { decodeCursorToken, encodeCursorToken } from '../cursorToken.js';
import type { RecentFilter } from './jobStore.js';
import { JOB_STATES } from './types.js';

export const RECENT_DEFAULT_LIMIT = 20;
export const RECENT_MAX_LIMIT = 100;
const MAX_CURSOR_CHARS = 512;

/** The query string of GET /jobs, as validated (and as the OpenAPI document describes it). */
export const recentJobsQuery = z.strictObject(
  {
    queue: z.string().min(1).max(256).optional().describe('only jobs of this queue'),
    state: z.enum(JOB_STATES).optional().describe('only jobs in this state'),
    task: z.string().min(1).max(256).optional().describe('only jobs of this task'),
    limit: z
      .string()
      .regex(/^[0-9]{1,3}$/, { error: `limit: expected a whole number from 1 to ${RECENT_MAX_LIMIT}` })
      .transform(Number)
      .refine((n) => n >= 1 && n <= RECENT_MAX_LIMIT, { error: `limit: expected a whole number from 1 to ${RECENT_MAX_LIMIT}` })
      .optional()
      .describe(`jobs per page, 1..${RECENT_MAX_LIMIT} (default ${RECENT_DEFAULT_LIMIT})`),
    tenant: z.string().min(1).max(256).optional().describe("operators only: only this tenant's jobs (`default`: the default tenant's)"),
    cursor: z.string().max(MAX_CURSOR_CHARS).optional().describe('the next_cursor of the previous page, unchanged'),
  },
  { error: (iss) => (iss.code === 'unrecognized_keys' ? `unknown query parameter(s): ${iss.keys.join(', ')}` : undefined) },
);

export type RecentJobsQuery = z.input<typeof recentJobsQuery>;

const badCursor = () =>
  new InvalidRequestError('cursor: not a cursor of this API; pass the next_cursor of the previous page unchanged, or omit it to start at the newest job');

/** The cursor is the `recent_at` key below which the next page starts (base64url JSON). */
export const encodeRecentCursor = (before: string) => encodeCursorToken({ b: before });

function decodeCursor(text: string): string {
  // Its length is bounded by the query's schema (MAX_CURSOR_CHARS).
  const c = decodeCursorToken(text);
  if (!c || typeof c.b !== 'string' || c.b.length === 0 || Object.keys(c).length !== 1) throw badCursor();
  return c.b;
}

/** Validates GET /jobs's query string; a bad value is a 400 naming the parameter. */
export function parseRecentJobsQuery(query: Record<string, string | undefined>, config: Config) {
  const parsed = recentJobsQuery.safeParse(query);
  if (!parsed.success) {
    const at = (i: z.core.$ZodIssue) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ` : '');
    throw new InvalidRequestError(parsed.error.issues.map((i) => at(i) + i.message).join('; '));
  }
  const q = parsed.data;
  if (q.queue !== undefined && !Object.hasOwn(config.queues, q.queue)) {
    throw new InvalidRequestError(`queue: unknown queue "${q.queue}" (configured: ${Object.keys(config.queues).join(', ')})`);
  }
  const filter: RecentFilter = {
    ...(q.queue !== undefined ? { queue: q.queue } : {}),
    ...(q.state !== undefined ? { status: q.state } : {}),
    ...(q.task !== undefined ? { task: q.task } : {}),
    ...(q.tenant !== undefined ? { tenant: q.tenant } : {}),
  };
  return { filter, limit: q.limit ?? RECENT_DEFAULT_LIMIT, ...(q.cursor !== undefined ? { before: decodeCursor(q.cursor) } : {}) };
}
