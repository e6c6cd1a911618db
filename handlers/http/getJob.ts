import type { App } from '../../lib/app.js';
import { onColdStart } from '../../lib/loadApp.js';
import { JobNotFoundError } from '../../lib/errors.js';
import { askedAbout } from '../../lib/jobs/askedAbout.js';
import { jobStatus } from '../../lib/jobs/jobStatus.js';
import { parseWait } from '../../lib/longPoll/parseWait.js';
import { waitForJob } from '../../lib/longPoll/waitForJob.js';
import { scopeId } from '../../lib/identity/tenantScope.js';
import { httpRoute, pathJobId } from './httpRoute.js';

/** GET /jobs/{jobID}[?wait=N]: a job's status (a waiting one's place in line too); with `wait`, as soon as it is final or after N seconds. */
export const makeHandler = (app: () => App) =>
  httpRoute(async (event) => {
    const caller = await app().identify(event);
    const jobId = scopeId(caller.tenant, pathJobId(event));
    const wait = parseWait(event.queryStringParameters?.wait);
    const job = wait === undefined ? await app().store.get(jobId) : await waitForJob(app().store, jobId, wait);
    if (!job) throw new JobNotFoundError(jobId);
    // Only a job in line pays for the count (undefined for the rest, at no cost); someone asked about it (orphan cancel).
    const [position] = await Promise.all([app().store.queuePosition(job), askedAbout(app().store, job)]);
    return jobStatus(job, position);
  });

export const handler = onColdStart((app) => makeHandler(app));
