import type { Logger } from '@aws-lambda-powertools/logger';
import type { Config } from '../config/types.js';
import type { DbPools } from '../db/createDbPools.js';
import { resultsDb } from '../db/resultsDb.js';

export interface ResultsSweepDeps {
  config: Config;
  pools: DbPools;
  log: Pick<Logger, 'warn'>;
}

/** Tables dropped per catalog round trip. */
const BATCH = 100;
/** The sweeper runs every minute with a 120 s timeout: stop starting new batches after this. */
const BUDGET_MS = 60_000;

/**
 * Drops the expired results tables of every configured results database (see
 * `sweepResultsTables`), in batches until none is left or the time budget is
 * spent; the next run goes on. A results database that cannot be reached is
 * logged and skipped, so it does not hold up the others.
 */
export async function sweepExpiredResults(deps: ResultsSweepDeps, now = new Date()): Promise<{ dropped: number; failed: number }> {
  const deadline = Date.now() + BUDGET_MS;
  let dropped = 0;
  let failed = 0;
  // A writer runs at most its queue's timeout: what is older than the longest one, plus a margin, was left by a crash.
  const leftoverAgeS = Math.max(900, ...Object.values(deps.config.queues).map((q) => q.timeout)) + 600;
  for (const config of Object.values(deps.config.results)) {
    const results = resultsDb(deps.pools, config);
    try {
      dropped += await results.sweepLeftovers(leftoverAgeS);
      for (;;) {
        const out = await results.sweep(now, BATCH);
        dropped += out.dropped;
        if (out.skipped.length > 0) deps.log.warn('results tables left for the next sweep', { results: config.name, skipped: out.skipped });
        if (out.dropped < BATCH || Date.now() > deadline) break;
      }
    } catch (err) {
      failed++;
      deps.log.warn('results sweep failed', { results: config.name, error: (err as Error).message });
    }
  }
  return { dropped, failed };
}
