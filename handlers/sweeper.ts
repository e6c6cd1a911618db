import { lazy, type App } from '../lib/app.js';
import { onColdStart } from '../lib/loadApp.js';
import { createDbPools, type DbPools } from '../lib/db/createDbPools.js';
import { sweepDeadLetters } from '../lib/jobs/sweepDeadLetters.js';
import { sweepLeases } from '../lib/jobs/sweepLeases.js';
import { sweepWaiting } from '../lib/jobs/sweepWaiting.js';
import { sweepExpiredResults } from '../lib/results/sweepExpiredResults.js';

/**
 * Scheduled: takes back jobs whose worker died, fails jobs whose message was
 * dead-lettered, resends lost messages and repairs groups' hand-overs, and drops
 * expired results tables (each sweep runs even if another fails).
 */
export const makeHandler = (app: () => App, pools: () => DbPools) => async () => {
  // Runs alongside the job sweeps; it logs its own failures and never rejects.
  const sweepingResults = sweepExpiredResults({ ...app(), pools: pools() });
  const leases = await sweepLeases(app()).finally(() => sweepingResults);
  const deadLetters = await sweepDeadLetters(app()).finally(() => sweepingResults);
  // After the dead letters: a job whose message is there fails rather than getting it again.
  const waiting = await sweepWaiting(app()).finally(() => sweepingResults);
  const results = await sweepingResults;
  if (leases.retried || leases.failed || deadLetters.failed || waiting.resent || waiting.dispatched || waiting.cancelled || results.dropped || results.failed) {
    app().log.info('sweep done', { leases, deadLetters, waiting, results });
  }
  return { leases, deadLetters, waiting, results };
};

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
