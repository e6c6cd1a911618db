/**
 * A paging cursor as this API hands it out: a small JSON object in base64url,
 * opaque to clients. Each listing (a job's results, an explore query, GET /jobs)
 * puts its own fields in and checks them on the way back.
 */
export const encodeCursorToken = (fields: Record<string, unknown>): string => Buffer.from(JSON.stringify(fields)).toString('base64url');

/**
 * The object inside a cursor token; undefined when `text` is not one: longer than
 * `maxChars` (when given), not base64url, not JSON, or JSON that is not an object.
 */
export function decodeCursorToken(text: string, maxChars?: number): Record<string, unknown> | undefined {
  if ((maxChars !== undefined && text.length > maxChars) || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
