import { createApp, lazy, type App } from '../lib/app.js';
import { sweepLeases } from '../lib/jobs/sweepLeases.js';

/** Scheduled: takes back jobs whose worker died. */
export const makeHandler = (app: () => App) => async () => {
  const leases = await sweepLeases(app());
  if (leases.retried || leases.failed) app().log.info('sweep done', { leases });
  return { leases };
};

export const handler = makeHandler(lazy(() => createApp()));
