import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
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
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error(`poison message: body is not JSON: ${body.slice(0, 200)}`);
  }
  const parsed = message.safeParse(raw);
  if (!parsed.success) throw new Error(`poison message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
