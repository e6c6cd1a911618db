import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { listRecentJobs } from '../../lib/jobs/listRecentJobs.js';
import { parseRecentJobsQuery } from '../../lib/jobs/recentJobsQuery.js';
import { ForbiddenError } from '../../lib/errors.js';
import { DEFAULT_TENANT } from '../../lib/identity/caller.js';
import { tagOf } from '../../lib/identity/tenantScope.js';
import { httpRoute } from './httpRoute.js';

/** GET /jobs?queue=&state=&task=&limit=&cursor=: recent jobs, newest first, keyset-paged. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const query = parseRecentJobsQuery(event.queryStringParameters ?? {}, app().config);
    if (!caller.operator) {
      if (query.filter.tenant !== undefined) throw new ForbiddenError('tenant: only operators list other tenants\' jobs');
      return listRecentJobs(app(), { ...query, filter: { ...query.filter, tenant: caller.tenant } });
    }
    // Operators see every tenant; each job names its own (read from the records, which the index does not carry).
    const tenants = async (jobIds: string[]) => {
      const scoped = jobIds.filter((id) => tagOf(id) !== undefined);
      const found = scoped.length === 0 ? [] : await app().store.getMany(scoped);
      const byId = new Map<string, string>(jobIds.map((id) => [id, DEFAULT_TENANT]));
      for (const job of found) byId.set(job.job_id, job.tenant ?? DEFAULT_TENANT);
      return byId;
    };
    return listRecentJobs(app(), query, undefined, tenants);
  });

export const handler = onColdStart((app) => makeHandler(app));
