/**
 * Glossary
 * - twin: another job of the same task with the same args (and, when the request
 *   named a db, run on that db).
 * - reuse: a job whose twin succeeded within its `max_age`, with its results table
 *   still there, gets a copy of that table (inside the results database) and is
 *   SUCCESS without a query on the source; it shows `reused_from`.
 * - coalescing: a job whose twin is still waiting or running waits for it: it parks
 *   on the twin's run (`waits_for`, the waiters index; the job stays PENDING, no
 *   message of its own) until the twin's end releases it; then it reuses the
 *   result, or, if the twin failed or was cancelled, runs on its own.
 * - leader: the twin that runs the query while others wait for it.
 * - pointer: one item per task + args naming the job that last ran the query (or runs
 *   it now); taken with a conditional write, so of identical jobs starting at once one runs.
 */

/** The pointer item (`reuse#<hash of task and args>`). */
export interface ReusePointer {
  pk: string;
  job_id: string;
  run_id: string;
  /** Epoch seconds (DynamoDB TTL). */
  expires_at: number;
}
