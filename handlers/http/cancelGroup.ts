import { lazy, type App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { API_POOL_OPTIONS, createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { cancelGroup } from '../../lib/lifecycle/cancelGroup.js';
import { purgeFlag } from './purgeFlag.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathGroupId } from './httpRoute.js';

/** DELETE /groups/{groupID}[?purge=true]: cancel a group, or delete a finished one and its results. */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    // Another tenant's group is not found under this tenant's scoped ID: it answers as an unknown one.
    const out = await cancelGroup({ ...app(), pools: pools(), observe: { cancelled: (job) => app().metrics?.cancelled(job) } }, scopeId(caller.tenant, pathGroupId(event)), purgeFlag(event));
    return { ...out, group_id: pathGroupId(event) };
  });

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools(API_POOL_OPTIONS))));
