import type { App } from '../../lib/app.js';
import { lookup } from '../../lib/config/lookup.js';
import { quoteInput } from '../../lib/quoteInput.js';
import { onColdStart } from '../../lib/loadApp.js';
import { SqlJobberError } from '../../lib/errors.js';
import { pendingJob } from '../../lib/jobs/jobStatus.js';
import { httpRoute, pathParam } from './httpRoute.js';

/** GET /jobs/queue/{queue}: waiting jobs of a queue, oldest first. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const queue = pathParam(event, 'queue');
    if (!lookup(app().config.queues, queue)) {
      throw new SqlJobberError(`unknown queue ${quoteInput(queue)}`, { code: 'queue_not_found', statusCode: 404 });
    }
    return (await app().store.listPending(queue)).map(pendingJob);
  });

export const handler = onColdStart((app) => makeHandler(app));
