const SHOWN_CHARS = 80;

/**
 * A value from a request as an error message shows it: a string JSON-quoted,
 * anything else as JSON, cut after 80 characters with its full length, so a
 * hostile megabyte is not echoed back whole.
 */
export function quoteInput(value: unknown): string {
  const isString = typeof value === 'string';
  const text = isString ? value : String(JSON.stringify(value));
  const shown = text.length <= SHOWN_CHARS ? text : text.slice(0, SHOWN_CHARS);
  const quoted = isString ? JSON.stringify(shown) : shown;
  return shown === text ? quoted : `${quoted}… (${text.length} characters)`;
}
