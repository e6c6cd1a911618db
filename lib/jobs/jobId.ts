import { quoteInput } from '../quoteInput.js';

/** PostgreSQL's identifier limit (63 bytes) is the tighter of the two (MySQL: 64). */
export const IDENTIFIER_LIMIT = 63;
/** The characters of a job ID, as a regular expression's character class holds them. */
export const JOB_ID_CHARS = 'A-Za-z0-9_:-';
export const JOB_ID_PATTERN = new RegExp(`^[${JOB_ID_CHARS}]+$`);
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

/**
 * Job IDs a new job may not take: `/jobs/queue/{queue}` (dungbeetle's route for
 * a queue's waiting jobs) shares its first segments with `/jobs/{jobID}/...`, so
 * the results of a job called "queue" could not be reached. A job stored under
 * one of these before they were refused is still read and cancelled as before.
 */
export const RESERVED_JOB_IDS: readonly string[] = ['queue'];

/** jobIdProblem, and a reserved ID (RESERVED_JOB_IDS): what is wrong with the ID of a new job. */
export function newJobIdProblem(jobId: string, maxLength = MAX_JOB_ID_LENGTH): string | undefined {
  if (RESERVED_JOB_IDS.includes(jobId)) return `${quoteInput(jobId)} is reserved (GET /jobs/queue/{queue} lists a queue's jobs); choose another job ID`;
  return jobIdProblem(jobId, maxLength);
}
