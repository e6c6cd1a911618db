import { MAX_ERROR_CHARS, MAX_WARNING_CHARS, MAX_WARNINGS } from '../limits.js';

/**
 * The warnings a job's record keeps: at most MAX_WARNINGS lines of at most
 * MAX_WARNING_CHARS characters each. A longer line ends in `…`; past the limit,
 * the last line kept says how many more there were. Empty: nothing to record.
 */
export function capWarnings(warnings: readonly string[]): string[] {
  const cut = (w: string) => capText(w, MAX_WARNING_CHARS);
  if (warnings.length <= MAX_WARNINGS) return warnings.map(cut);
  const kept = warnings.slice(0, MAX_WARNINGS - 1).map(cut);
  return [...kept, `… and ${warnings.length - kept.length} more warning(s)`];
}

/** A text of at most `max` characters: a longer one is cut and ends in `…`. Characters are code points: a cut never splits a surrogate pair. */
function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** A job's `error` as its record keeps it: at most MAX_ERROR_CHARS characters, a longer one ending in `…` (as a warning line). */
export function capError(error: string): string {
  return capText(error, MAX_ERROR_CHARS);
}
