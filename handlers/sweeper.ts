import { lazy, type App } from '../lib/app.js';
import { onColdStart } from '../lib/loadApp.js';
import { createDbPools, type DbPools } from '../lib/db/createDbPools.js';
import { sweepDeadLetters } from '../lib/jobs/sweepDeadLetters.js';
import { sweepLeases } from '../lib/jobs/sweepLeases.js';
import { sweepExpiredResults } from '../lib/results/sweepExpiredResults.js';

/** Scheduled: takes back jobs whose worker died, fails jobs whose message was dead-lettered, and drops expired results tables (each sweep runs even if the other fails). */
export const makeHandler = (app: () => App, pools: () => DbPools) => async () => {
  // Runs alongside the lease sweep; it logs its own failures and never rejects.
  const sweepingResults = sweepExpiredResults({ ...app(), pools: pools() });
  const leases = await sweepLeases(app()).finally(() => sweepingResults);
  const deadLetters = await sweepDeadLetters(app()).finally(() => sweepingResults);
  const results = await sweepingResults;
  if (leases.retried || leases.failed || deadLetters.failed || results.dropped || results.failed) {
    app().log.info('sweep done', { leases, deadLetters, results });
  }
  return { leases, deadLetters, results };
};

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
