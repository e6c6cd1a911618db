import type * as z from 'zod';

/**
 * Parses an SQS message body against its schema; anything else is a poison
 * message and throws, saying what was wrong with it.
 */
export function parseQueueMessage<T>(schema: z.ZodType<T>, body: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    throw new Error(`poison message: body is not JSON: ${body.slice(0, 200)}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`poison message: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
