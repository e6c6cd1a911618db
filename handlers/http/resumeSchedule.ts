import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { setSchedulePaused } from '../../lib/schedules/setSchedulePaused.js';
import { httpRoute, pathScheduleId } from './httpRoute.js';

/** POST /schedules/{scheduleID}/resume: ticks make jobs again, from the first one after now (the paused ones are not caught up). */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    return setSchedulePaused(app().schedules, scopeId(caller.tenant, pathScheduleId(event)), false);
  });

export const handler = onColdStart((app) => makeHandler(app));
