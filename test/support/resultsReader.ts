/**
 * What a test of the results reader (lib/results/readJobResults.ts) hands it: a
 * finished job's record and the reader's dependencies, its store answering that
 * one record. One fixture for the reader's tests, the explore property test and
 * the explore fuzz.
 */
import type { Config, ResultsConfig } from '../../lib/config/types.js';
import type { DbPools } from '../../lib/db/createDbPools.js';
import type { JobItem } from '../../lib/jobs/types.js';

/** A SUCCESS job `job_id` whose `count` rows sit in `results_table` of `results`. */
export function finishedJob(results: ResultsConfig, over: Partial<JobItem> & Pick<JobItem, 'job_id' | 'count' | 'results_table'>): JobItem {
  return {
    pk: `job#${over.job_id}`,
    run_id: 'run-1',
    task: 't',
    queue: 'q',
    db: 'src',
    results_db: results.name,
    args: [],
    status: 'SUCCESS',
    retries: 0,
    attempt: 1,
    ttl: 3600,
    eta: null,
    created_at: '',
    ...over,
  } as JobItem;
}

/** The reader's dependencies: a config with `results` only, and a store that knows `item` (or nothing). */
export function readerDeps(pools: DbPools, results: ResultsConfig, item: JobItem | undefined, source = 'test') {
  const config = { app: { defaultJobTtl: 3600, logLevel: 'INFO' }, db: {}, results: { [results.name]: results }, queues: {}, source } as Config;
  return { config, pools, store: { get: async (id: string) => (item && id === item.job_id ? item : undefined) } };
}
