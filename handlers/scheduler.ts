import type { App } from '../lib/app.js';
import { evaluateSchedules } from '../lib/lifecycle/evaluateSchedules.js';
import { onColdStart } from '../lib/loadApp.js';

/**
 * Scheduled (every minute in AWS, every few seconds in the local stack): makes
 * the jobs of the schedules' due ticks (lib/lifecycle/evaluateSchedules.ts).
 * Several at once are safe: each tick makes exactly one job.
 */
export const makeHandler = (app: () => App) => async () => {
  const tally = await evaluateSchedules(app());
  if (tally.made || tally.skipped || tally.failed) app().log.info('schedules evaluated', { ...tally });
  return tally;
};

export const handler = onColdStart((app) => makeHandler(app));
