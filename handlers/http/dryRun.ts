import { lazy, type App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { API_POOL_OPTIONS, createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { dryRunJob } from '../../lib/jobs/dryRunJob.js';
import { httpRoute, jsonBody, pathParam } from './httpRoute.js';

/** POST /tasks/{taskName}/dry-run: a job request's result columns and the planner's estimate, without running it. */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    return dryRunJob({ ...app(), pools: pools() }, pathParam(event, 'taskName'), jsonBody(event), caller);
  });

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools(API_POOL_OPTIONS))));
