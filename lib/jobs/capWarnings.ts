import { MAX_WARNING_CHARS, MAX_WARNINGS } from '../limits.js';

/**
 * The warnings a job's record keeps: at most MAX_WARNINGS lines of at most
 * MAX_WARNING_CHARS characters each. A longer line ends in `…`; past the limit,
 * the last line kept says how many more there were. Empty: nothing to record.
 */
export function capWarnings(warnings: readonly string[]): string[] {
  // Characters are code points: a cut never splits a surrogate pair.
  const cut = (w: string) => {
    const chars = [...w];
    return chars.length <= MAX_WARNING_CHARS ? w : `${chars.slice(0, MAX_WARNING_CHARS - 1).join('')}…`;
  };
  if (warnings.length <= MAX_WARNINGS) return warnings.map(cut);
  const kept = warnings.slice(0, MAX_WARNINGS - 1).map(cut);
  return [...kept, `… and ${warnings.length - kept.length} more warning(s)`];
}
