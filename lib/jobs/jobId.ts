import { quoteInput } from '../quoteInput.js';

/** PostgreSQL's identifier limit (63 bytes) is the tighter of the two (MySQL: 64). */
export const IDENTIFIER_LIMIT = 63;
export const JOB_ID_PATTERN = /^[A-Za-z0-9_:-]+$/;
/** No job ID is longer, whatever the results table patterns: the identifier limit less an empty `%s` pattern. */
export const MAX_JOB_ID_LENGTH = IDENTIFIER_LIMIT;

/**
 * What is wrong with a job ID as no job could have it (bad characters, too
 * long), or undefined. A path's job ID is checked with this before any lookup;
 * a new job's ID also against its results tables' `maxLength`.
 */
export function jobIdProblem(jobId: string, maxLength = MAX_JOB_ID_LENGTH): string | undefined {
  if (jobId.length > maxLength) return `at most ${maxLength} characters (got ${jobId.length})`;
  if (!JOB_ID_PATTERN.test(jobId)) return `may contain only letters, digits, "_", "-" and ":" (got ${quoteInput(jobId)})`;
  return undefined;
}
