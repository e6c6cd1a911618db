import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { ownedBy } from '../../lib/identity/tenantScope.js';
import { scheduleStatus } from '../../lib/schedules/scheduleStatus.js';
import { httpRoute } from './httpRoute.js';

/** GET /schedules: the caller's tenant's schedules (an operator's: every tenant's), by next run. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const items = await app().schedules.list(caller.operator ? undefined : (id) => ownedBy(id, caller.tenant));
    return items.map(scheduleStatus);
  });

export const handler = onColdStart((app) => makeHandler(app));
