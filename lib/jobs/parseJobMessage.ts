import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { parseQueueMessage } from '../parseQueueMessage.js';
import type { JobMessage } from './types.js';

const message = z.object({
  job_id: z.string().min(1),
  run_id: z.string().min(1),
  queue: z.string().min(1),
  attempt: z.number().int().min(0),
  not_before: z.number().int().optional(),
  max_age: z.number().int().min(1).optional(),
});

/** Parses an SQS message body; anything else is a poison message and throws. */
export function parseJobMessage(body: string): JobMessage {
  return parseQueueMessage(message, body);
}
