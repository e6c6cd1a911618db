import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { submitSchedule } from '../../lib/schedules/submitSchedule.js';
import { httpRoute, jsonBody } from './httpRoute.js';

/** POST /schedules: record a schedule that makes a job of a task at each tick of a cron pattern. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    return submitSchedule(app(), jsonBody(event), caller);
  });

export const handler = onColdStart((app) => makeHandler(app));
