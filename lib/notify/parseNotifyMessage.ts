import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { parseQueueMessage } from '../parseQueueMessage.js';
import type { NotifyMessage } from './types.js';

const message = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('job'),
    job_id: z.string().min(1),
    run_id: z.string().min(1).optional(),
    attempt: z.number().int().min(0).optional(),
    announced_at: z.number().int(),
  }),
  z.object({ kind: z.literal('group'), group_id: z.string().min(1) }),
  z.object({
    kind: z.literal('sink'),
    sink: z.enum(['sns', 'eventbridge']),
    event_id: z.string().min(1),
    type: z.enum(['job.finished', 'group.finished']),
    body: z.string(),
    attempt: z.number().int().min(1),
    first_at: z.number().int(),
    last_error: z.string().optional(),
  }),
  z.object({
    kind: z.literal('webhook'),
    webhook: z.number().int().min(0),
    event_id: z.string().min(1),
    body: z.string(),
    attempt: z.number().int().min(1),
    first_at: z.number().int(),
    last_error: z.string().optional(),
  }),
]);

/** Parses a notify queue message; anything else is a poison message and throws. */
export function parseNotifyMessage(body: string): NotifyMessage {
  return parseQueueMessage(message, body);
}
