import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { enqueueJob } from '../../lib/lifecycle/enqueueJob.js';
import { headerTraceparent } from '../../lib/observability/tracing.js';
import { httpRoute, jsonBody, pathParam } from './httpRoute.js';

/** POST /tasks/{taskName}/jobs: schedule a job. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    try {
      const job = await enqueueJob(app(), pathParam(event, 'taskName'), jsonBody(event), caller, headerTraceparent(event.headers));
      app().metrics?.submitted(job.queue, 1);
      return job;
    } finally {
      await app().tracing.flush();
    }
  });

export const handler = onColdStart((app) => makeHandler(app));
