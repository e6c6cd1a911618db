import { createApp, lazy, type App } from '../../lib/app.js';
import { createDbPools, type DbPools } from '../../lib/db/createDbPools.js';
import { InvalidRequestError } from '../../lib/errors.js';
import { cancelJob } from '../../lib/jobs/cancelJob.js';
import { httpRoute, pathParam } from './httpRoute.js';

/** DELETE /jobs/{jobID}[?purge=true]: cancel a job, or delete a finished one and its results. */
export const makeHandler = (app: () => App, pools: () => DbPools) =>
  httpRoute(async (event) => {
    const purge = event.queryStringParameters?.purge;
    if (purge !== undefined && purge !== 'true' && purge !== 'false') {
      throw new InvalidRequestError(`purge: expected true or false (got ${JSON.stringify(purge)})`);
    }
    return cancelJob({ ...app(), pools: pools() }, pathParam(event, 'jobID'), purge === 'true');
  });

export const handler = makeHandler(
  lazy(() => createApp()),
  lazy(() => createDbPools()),
);
