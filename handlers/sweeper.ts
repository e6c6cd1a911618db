import { lazy, type App } from '../lib/app.js';
import { onColdStart } from '../lib/loadApp.js';
import { createDbPools, type DbPools } from '../lib/db/createDbPools.js';
import { sweepLeases } from '../lib/jobs/sweepLeases.js';
import { sweepExpiredResults } from '../lib/results/sweepExpiredResults.js';

/** Scheduled: takes back jobs whose worker died, and drops expired results tables (each sweep runs even if the other fails). */
export const makeHandler = (app: () => App, pools: () => DbPools) => async () => {
  // Runs alongside the lease sweep; it logs its own failures and never rejects.
  const sweepingResults = sweepExpiredResults({ ...app(), pools: pools() });
  const leases = await sweepLeases(app()).finally(() => sweepingResults);
  const results = await sweepingResults;
  if (leases.retried || leases.failed || results.dropped || results.failed) app().log.info('sweep done', { leases, results });
  return { leases, results };
};

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
