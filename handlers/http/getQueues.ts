import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { listQueues } from '../../lib/queues/listQueues.js';
import { ForbiddenError } from '../../lib/errors.js';
import { httpRoute } from './httpRoute.js';

/** GET /queues: each queue's concurrency, timeout and live counts. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    // The queues' live counts are every tenant's: an operator's view.
    if (!(await app().identify(event)).operator) throw new ForbiddenError('GET /queues is for operators');
    return listQueues(app());
  });

export const handler = onColdStart((app) => makeHandler(app));
