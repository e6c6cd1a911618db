import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { listRecentJobs } from '../../lib/jobs/listRecentJobs.js';
import { parseRecentJobsQuery } from '../../lib/jobs/recentJobsQuery.js';
import { httpRoute } from './httpRoute.js';

/** GET /jobs?queue=&state=&task=&limit=&cursor=: recent jobs, newest first, keyset-paged. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => listRecentJobs(app(), parseRecentJobsQuery(event.queryStringParameters ?? {}, app().config)));

export const handler = onColdStart((app) => makeHandler(app));
