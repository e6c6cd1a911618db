import { lazy, type App } from '../lib/app.js';
import { onColdStart } from '../lib/loadApp.js';
import { createDbPools, type DbPools } from '../lib/db/createDbPools.js';
import { sweepDeadLetters } from '../lib/lifecycle/sweepDeadLetters.js';
import { sweepLeases } from '../lib/lifecycle/sweepLeases.js';
import { sweepOrphans } from '../lib/lifecycle/sweepOrphans.js';
import { sweepWaiting } from '../lib/lifecycle/sweepWaiting.js';
import { sweepExpiredResults } from '../lib/results/sweepExpiredResults.js';
import type { JobItem } from '../lib/jobs/types.js';
import { sweepExports, type ExportSweep } from '../lib/export/exportExpiry.js';

/**
 * Scheduled: takes back jobs whose worker died, fails jobs whose message was
 * dead-lettered, cancels waiting jobs nobody asks about (orphans), resends lost
 * messages and repairs groups' hand-overs, and drops expired results tables and
 * exports (each sweep runs even if another fails).
 */
export const makeHandler = (app: () => App, pools: () => DbPools) => async () => {
  // Runs alongside the job sweeps; it logs its own failures and never rejects.
  const sweepingResults = sweepExpiredResults({ ...app(), pools: pools() });
  // The jobs a sweep ends or sends back count in the metrics as a worker's do.
  const metrics = app().metrics;
  const deps = { ...app(), observe: { retried: (job: JobItem) => metrics?.retried(job), finished: (job: JobItem) => metrics?.finished(job) } };
  const exportStore = app().exportStore;
  const sweepingExports: Promise<ExportSweep | { failed: string }> = exportStore
    ? sweepExports(exportStore, Date.now()).catch((err: unknown) => {
        app().log.warn('export sweep failed', { error: (err as Error).message });
        return { failed: (err as Error).message };
      })
    : Promise.resolve({ expired: 0, objects: 0 });
  const leases = await sweepLeases(deps).finally(() => sweepingResults);
  const deadLetters = await sweepDeadLetters(deps).finally(() => sweepingResults);
  // Before the waiting jobs: an orphan is cancelled rather than resent or admitted.
  const orphans = await sweepOrphans(deps).finally(() => sweepingResults);
  // After the dead letters: a job whose message is there fails rather than getting it again.
  const waiting = await sweepWaiting(app()).finally(() => sweepingResults);
  const results = await sweepingResults;
  const exports = await sweepingExports;
  const exported = 'failed' in exports || exports.expired > 0;
  if (leases.retried || leases.failed || deadLetters.failed || orphans.cancelled || waiting.resent || waiting.dispatched || waiting.admitted || waiting.cancelled || results.dropped || results.failed || exported) {
    app().log.info('sweep done', { leases, deadLetters, orphans, waiting, results, exports });
  }
  return { leases, deadLetters, orphans, waiting, results, exports };
};

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
