import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { submitJob } from '../../lib/jobs/submitJob.js';
import { httpRoute, jsonBody, pathParam } from './httpRoute.js';

/** POST /tasks/{taskName}/jobs: schedule a job. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const job = await submitJob(app(), pathParam(event, 'taskName'), jsonBody(event));
    app().metrics?.submitted(job.queue, 1);
    return job;
  });

export const handler = onColdStart((app) => makeHandler(app));
