import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { JobNotFoundError } from '../../lib/errors.js';
import { jobStatus } from '../../lib/jobs/jobStatus.js';
import { parseWait } from '../../lib/longPoll/parseWait.js';
import { waitForJob } from '../../lib/longPoll/waitForJob.js';
import { httpRoute, pathJobId } from './httpRoute.js';

/** GET /jobs/{jobID}[?wait=N]: a job's status; with `wait`, as soon as it is final or after N seconds. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const jobId = pathJobId(event);
    const wait = parseWait(event.queryStringParameters?.wait);
    const job = wait === undefined ? await app().store.get(jobId) : await waitForJob(app().store, jobId, wait);
    if (!job) throw new JobNotFoundError(jobId);
    return jobStatus(job);
  });

export const handler = onColdStart((app) => makeHandler(app));
