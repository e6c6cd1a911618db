import type { App } from '../../lib/app.js';
import { ScheduleNotFoundError } from '../../lib/errors.js';
import { onColdStart } from '../../lib/loadApp.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { scheduleStatus } from '../../lib/schedules/scheduleStatus.js';
import { httpRoute, pathScheduleId } from './httpRoute.js';

/** GET /schedules/{scheduleID}: a schedule, its next run and its last run. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const id = pathScheduleId(event);
    // Another tenant's schedule is not found under this tenant's scoped ID: it answers as an unknown one.
    const item = await app().schedules.get(scopeId(caller.tenant, id));
    if (!item) throw new ScheduleNotFoundError(id);
    return scheduleStatus(item);
  });

export const handler = onColdStart((app) => makeHandler(app));
