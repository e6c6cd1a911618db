import type { JobItem } from '../jobs/types.js';
import { tagOf } from '../identity/tenantScope.js';
import { reuseKey } from './reuseKey.js';

/**
 * The pointer key of a job's query, for its lookup and for its success alike:
 * inside the job's tenant, unless its task says the result cannot depend on the
 * caller (`reuse_across_tenants`).
 */
export function jobReuseKey(job: Pick<JobItem, 'task' | 'args' | 'job_id' | 'reuse_shared'>): string {
  return reuseKey(job.task, job.args, job.reuse_shared ? undefined : tagOf(job.job_id));
}
