import type { App } from '../../lib/app.js';
import { ScheduleNotFoundError } from '../../lib/errors.js';
import { onColdStart } from '../../lib/loadApp.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathScheduleId } from './httpRoute.js';

/** DELETE /schedules/{scheduleID}: no more ticks; the jobs it made stay as they are. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const id = pathScheduleId(event);
    if (!(await app().schedules.delete(scopeId(caller.tenant, id)))) throw new ScheduleNotFoundError(id);
    return { schedule_id: id, deleted: true };
  });

export const handler = onColdStart((app) => makeHandler(app));
