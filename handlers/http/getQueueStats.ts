import type { App } from '../../lib/app.js';
import { ForbiddenError } from '../../lib/errors.js';
import { onColdStart } from '../../lib/loadApp.js';
import { queueStats } from '../../lib/queues/queueStats.js';
import { parseQueueStatsQuery } from '../../lib/queues/queueStatsQuery.js';
import { httpRoute } from './httpRoute.js';

/** GET /queues/stats?window=1h|1d&queue=: each queue's throughput, run time, queue wait, counts and failure rate over time. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    // Every tenant's jobs: an operator's view, as GET /queues.
    if (!(await app().identify(event)).operator) throw new ForbiddenError('GET /queues/stats is for operators');
    return queueStats(app(), parseQueueStatsQuery(event.queryStringParameters ?? {}, app().config));
  });

export const handler = onColdStart((app) => makeHandler(app));
