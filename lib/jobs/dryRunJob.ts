import type { Config } from '../config/types.js';
import { lookup } from '../config/lookup.js';
import { SERVICE_CALLER, type Caller } from '../identity/caller.js';
import { SqlJobberError, TaskNotFoundError } from '../errors.js';
import type { DbPools } from '../db/createDbPools.js';
import { sourceDb } from '../db/sourceDb.js';
import { bindTask } from '../tasks/params/bindTask.js';
import type { TaskRegistry } from '../tasks/types.js';
import { newJobItem } from './newJobItem.js';
import { ownedJob } from './ownedJob.js';
import { parseJobRequest } from './parseJobRequest.js';

export interface DryRunDeps {
  config: Config;
  tasks: TaskRegistry;
  pools: DbPools;
}

/** A results column of a dry run: its name as the table gets it, its portable type and its SQL type on the results database. */
export interface DryRunColumn {
  name: string;
  type: string;
  sql_type: string;
}

/** What POST /tasks/{taskName}/dry-run answers. */
export interface DryRun {
  task: string;
  db: string;
  results_db: string;
  columns: DryRunColumn[];
  estimate: { rows: number | null; cost: number | null; cost_is: string };
  /** The task's `max_cost`, and whether the estimate is over it (a job would end FAILURE without running). */
  max_cost: number | null;
  over_max_cost: boolean;
}

/**
 * A job request tried without running it: the same body as POST
 * /tasks/{taskName}/jobs, checked the same way (400 naming the field), bound the
 * same way (the caller's claims and caller-bound parameters included), then
 * described and planned on the source the job would use: the results table's
 * columns (names and types as the task's results database would create them,
 * without asking it) and the planner's estimate. Nothing is recorded, no message
 * is sent, the query never runs.
 *
 * @throws SqlJobberError `dry_run_failed` (422) with the database's message when it cannot describe or plan the query.
 */
export async function dryRunJob(deps: DryRunDeps, taskName: string, body: unknown, caller: Caller = SERVICE_CALLER): Promise<DryRun> {
  const task = deps.tasks.get(taskName);
  if (!task) throw new TaskNotFoundError(taskName);
  const req = parseJobRequest(body, task, deps.config);
  const item = ownedJob(newJobItem(task, req, req.job_id ?? 'dry-run'), task, caller, deps.config);
  const source = lookup(deps.config.db, item.db);
  const results = lookup(deps.config.results, item.results_db);
  if (!source || !results) throw new Error(`task "${task.name}": db "${item.db}" or results "${item.results_db}" is not configured`);
  const bound = bindTask(task, item.args);
  const from = sourceDb(deps.pools, source);
  const claims = item.claims === undefined ? undefined : (JSON.parse(item.claims) as Record<string, unknown>);
  try {
    const [columns, estimate] = await Promise.all([from.describeResults({ ...bound, ...(claims ? { claims } : {}) }, results.type), from.estimate(bound.query, bound.args)]);
    const maxCost = task.guardrails.maxCost;
    return {
      task: task.name,
      db: source.name,
      results_db: results.name,
      columns: columns.map((c) => ({ name: c.name, type: c.type, sql_type: c.sql_type })),
      estimate: { rows: estimate.rows ?? null, cost: estimate.cost ?? null, cost_is: estimate.costIs },
      max_cost: maxCost ?? null,
      over_max_cost: maxCost !== undefined && estimate.cost !== undefined && estimate.cost > maxCost,
    };
  } catch (err) {
    throw new SqlJobberError(`the source database could not describe or plan the query: ${(err as Error).message}`, { code: 'dry_run_failed', cause: err });
  }
}
