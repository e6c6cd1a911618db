import { lazy, type App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { API_POOL_OPTIONS, createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { cancelJob } from '../../lib/lifecycle/cancelJob.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathJobId } from './httpRoute.js';
import { purgeFlag } from './purgeFlag.js';

/** DELETE /jobs/{jobID}[?purge=true]: cancel a job, or delete a finished one and its results. */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    // Another tenant's job is not found under this tenant's scoped ID: it answers as an unknown one.
    const out = await cancelJob({ ...app(), pools: pools(), observe: { cancelled: (job) => app().metrics?.cancelled(job) } }, scopeId(caller.tenant, pathJobId(event)), purgeFlag(event));
    return { ...out, job_id: pathJobId(event) };
  });

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools(API_POOL_OPTIONS))));
