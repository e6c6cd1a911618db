import { lookup } from '../config/lookup.js';
import type { Config } from '../config/types.js';
import type { Task } from '../tasks/types.js';
import type { JobItem } from './types.js';

/**
 * Glossary
 * - orphan: a waiting or running job that nobody asked about (a status read, a
 *   long-poll, a results read) for its `orphan_after`: the user left, so it is
 *   cancelled and its query killed, instead of costing the source its whole run.
 * - asked about: the job's `asked_at`, moved by those reads at most once per
 *   ASK_EVERY_MS; a coalesced waiter's read moves its leader's too.
 */

/** How often a read moves `asked_at` at most (a quarter of a short `orphan_after`). */
export const ASK_EVERY_MS = 5_000;

/**
 * The `orphan_after` (seconds) of a new job: the task's tag, else its queue's,
 * else `[app]`'s; undefined (never an orphan) when none is set, and for a job
 * that someone is told about or that a schedule made (a notify target, a
 * `schedule_id`). Group members never get one (their group is read instead).
 */
export function orphanAfterOf(task: Pick<Task, 'orphanAfter'>, item: JobItem, config: Config): number | undefined {
  if (Object.hasOwn(item, 'notify') || Object.hasOwn(item, 'schedule_id') || item.group_id !== undefined) return undefined;
  return task.orphanAfter ?? lookup(config.queues, item.queue)?.orphanAfter ?? config.app.orphanAfter;
}

/** Whether `job` is an orphan at `nowMs`: it has `orphan_after`, and nobody asked about it for that long. */
export function isOrphan(job: Pick<JobItem, 'orphan_after' | 'asked_at' | 'created_at'>, nowMs = Date.now()): boolean {
  if (job.orphan_after === undefined) return false;
  const asked = job.asked_at ?? Date.parse(job.created_at);
  return nowMs - asked > job.orphan_after * 1000;
}

/** The error of a job cancelled as an orphan, its duration as configured (`10s`, `5m`, ...). */
export function orphanedError(orphanAfterS: number): string {
  const d = orphanAfterS % 3600 === 0 ? `${orphanAfterS / 3600}h` : orphanAfterS % 60 === 0 ? `${orphanAfterS / 60}m` : `${orphanAfterS}s`;
  return `orphaned: nobody asked for it in ${d}`;
}
