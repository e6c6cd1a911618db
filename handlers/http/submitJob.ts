import { createApp, lazy, type App } from '../../lib/app.js';
import { submitJob } from '../../lib/jobs/submitJob.js';
import { httpRoute, jsonBody, pathParam } from './httpRoute.js';

/** POST /tasks/{taskName}/jobs: schedule a job. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => submitJob(app(), pathParam(event, 'taskName'), jsonBody(event)));

export const handler = makeHandler(lazy(() => createApp()));
