import type { App } from '../../lib/app.js';
import { lookup } from '../../lib/config/lookup.js';
import { onColdStart } from '../../lib/loadApp.js';
import { ForbiddenError, QueueNotFoundError } from '../../lib/errors.js';
import { PENDING_FIELDS, pendingJob } from '../../lib/jobs/jobStatus.js';
import { httpRoute, pathParam } from './httpRoute.js';

/** GET /jobs/queue/{queue}: waiting jobs of a queue, oldest first. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const queue = pathParam(event, 'queue');
    if (!lookup(app().config.queues, queue)) throw new QueueNotFoundError(queue);
    const tenant = event.queryStringParameters?.tenant;
    if (tenant !== undefined && !caller.operator) throw new ForbiddenError('tenant: only operators list other tenants\' jobs');
    // An operator sees every tenant's waiting jobs (or the one `tenant` names); any other caller its own.
    return (await app().store.listPending(queue, PENDING_FIELDS, 1000, undefined, caller.operator ? tenant : caller.tenant)).map(pendingJob);
  });

export const handler = onColdStart((app) => makeHandler(app));
