import { quoteInput } from '../quoteInput.js';
import { MAX_JOB_ID_LENGTH } from '../jobs/jobId.js';

/** A schedule's jobs are called `<schedule_id>:<yyyymmddhhmm>` (UTC): this many characters follow the schedule's ID. */
export const TICK_SUFFIX_LENGTH = 13;
/** No schedule ID is longer, whatever the config: its jobs' IDs must fit MAX_JOB_ID_LENGTH. */
export const MAX_SCHEDULE_ID_LENGTH = MAX_JOB_ID_LENGTH - TICK_SUFFIX_LENGTH;
/** Letters, digits, "_" and "-": no ":", which separates the tick in its jobs' IDs. */
export const SCHEDULE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** What is wrong with a schedule ID as no schedule could have it, or undefined (a path's ID is checked before any lookup). */
export function scheduleIdProblem(id: string, maxLength = MAX_SCHEDULE_ID_LENGTH): string | undefined {
  if (id.length > maxLength) return `at most ${maxLength} characters (got ${id.length})`;
  if (!SCHEDULE_ID_PATTERN.test(id)) return `may contain only letters, digits, "_" and "-" (got ${quoteInput(id)})`;
  return undefined;
}
