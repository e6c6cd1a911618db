import { lazy, type App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { cancelJob } from '../../lib/jobs/cancelJob.js';
import { httpRoute, pathJobId } from './httpRoute.js';
import { purgeFlag } from './purgeFlag.js';

/** DELETE /jobs/{jobID}[?purge=true]: cancel a job, or delete a finished one and its results. */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event) => cancelJob({ ...app(), pools: pools() }, pathJobId(event), purgeFlag(event)));

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
