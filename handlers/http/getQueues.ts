import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { listQueues } from '../../lib/queues/listQueues.js';
import { httpRoute } from './httpRoute.js';

/** GET /queues: each queue's concurrency, timeout and live counts. */
export const makeHandler = (app: () => App) => httpRoute(async () => listQueues(app()));

export const handler = onColdStart((app) => makeHandler(app));
