import type { DbConfig } from '../../lib/config/types.js';
import type { DbPools } from '../../lib/db/createDbPools.js';
import type { RunTaskInput, RunTaskResult } from '../../lib/db/port/types.js';
import { sourceDb } from '../../lib/db/sourceDb.js';

/** A task run with its source named next to its results, as tests and benchmarks write one. */
export interface SourceRunTaskInput extends RunTaskInput {
  source: DbConfig;
}

/** Runs a task through the front door (`sourceDb(pools, source).runTask`), its source given in the input. */
export function runTask(pools: DbPools, { source, ...input }: SourceRunTaskInput): Promise<RunTaskResult> {
  return sourceDb(pools, source).runTask(input);
}
