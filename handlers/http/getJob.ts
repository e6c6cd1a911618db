import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { JobNotFoundError } from '../../lib/errors.js';
import { jobStatus } from '../../lib/jobs/jobStatus.js';
import { httpRoute, pathJobId } from './httpRoute.js';

/** GET /jobs/{jobID}: a job's status. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const jobId = pathJobId(event);
    const job = await app().store.get(jobId);
    if (!job) throw new JobNotFoundError(jobId);
    return jobStatus(job);
  });

export const handler = onColdStart((app) => makeHandler(app));
