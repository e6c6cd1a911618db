import { admissionTenant } from '../jobs/admission.js';
import { SERVICE_CALLER, type Caller } from '../identity/caller.js';
import type { SubmittedJob } from '../jobs/newJobItem.js';
import { submitJob, type SubmitDeps } from '../jobs/submitJob.js';
import { admitJobs, type AdmitDeps } from './admitJobs.js';

/**
 * POST /tasks/{taskName}/jobs: records and enqueues a job (lib/jobs/submitJob.ts);
 * on a queue with admission the job waits in its tenant's list, and this admits
 * what the queue's free slots take at once (often the job itself). An admission
 * that fails here is left to the next job's end or the sweeper; the job is recorded.
 * `traceparent`: the caller's W3C header, the parent of the `submit` span.
 */
export async function enqueueJob(
  deps: SubmitDeps & AdmitDeps,
  taskName: string,
  body: unknown,
  caller: Caller = SERVICE_CALLER,
  traceparent?: string,
): Promise<SubmittedJob> {
  const job = await submitJob(deps, taskName, body, caller, traceparent);
  await admitJobs(deps, job.queue, { tenant: admissionTenant({ tenant: caller.tenant }) }).catch((err: unknown) =>
    deps.log?.warn('could not admit waiting jobs after a submit; the next end or the sweeper will', { queue: job.queue, error: (err as Error).message }),
  );
  return job;
}
