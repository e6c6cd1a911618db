import { lazy, type App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { cancelGroup } from '../../lib/groups/cancelGroup.js';
import { purgeFlag } from './purgeFlag.js';
import { httpRoute, pathGroupId } from './httpRoute.js';

/** DELETE /groups/{groupID}[?purge=true]: cancel a group, or delete a finished one and its results. */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event) => cancelGroup({ ...app(), pools: pools() }, pathGroupId(event), purgeFlag(event)));

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
