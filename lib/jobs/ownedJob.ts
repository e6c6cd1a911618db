import type { Config } from '../config/types.js';
import { DEFAULT_TENANT, type Caller } from '../identity/caller.js';
import { scopeId, scopePrefix } from '../identity/tenantScope.js';
import { InvalidRequestError } from '../errors.js';
import { callerArgs } from '../tasks/params/callerArgs.js';
import type { TypedTask } from '../tasks/params/taskArgsSchema.js';
import type { Task } from '../tasks/types.js';
import { jobKey, recentAt, recentShard } from './jobTable.js';
import { maxJobIdLength } from './parseJobRequest.js';
import { shardKey } from './shardKey.js';
import type { JobItem } from './types.js';

/** The task tag that lets a task's results be reused across tenants: only for results that cannot depend on the caller. */
export const REUSE_ACROSS_TENANTS_TAG = 'reuse_across_tenants';

/**
 * A new job record (newJobItem, with the ID as the caller gave it) made the
 * caller's: its ID scoped to the caller's tenant (lib/identity/tenantScope.ts)
 * with every key that derives from it, the tenant, the caller's claims (for the
 * task's transaction), its caller-bound parameters' values, and whether its results may be shared across tenants.
 * The default tenant's record is the record of earlier versions.
 *
 * @throws InvalidRequestError the scoped ID makes a results table name too long
 */
export function ownedJob(given: JobItem, task: Task, caller: Caller, config: Config): JobItem {
  // Parameters bound to the caller (`from tenant`, `from claim:NAME`) take their values from it, never from the request.
  const item = task.params?.some((p) => p.from) ? { ...given, args: callerArgs(task as TypedTask, given.args, caller) } : given;
  const claims = Object.keys(caller.claims).length > 0 ? { claims: JSON.stringify(caller.claims) } : {};
  const shared = task.tags[REUSE_ACROSS_TENANTS_TAG] === '1' ? { reuse_shared: true } : {};
  if (caller.tenant === DEFAULT_TENANT) return { ...item, ...claims, ...shared };
  const max = maxJobIdLength(config) - scopePrefix(caller.tenant).length;
  if (item.job_id.length > max) {
    throw new InvalidRequestError(`job_id: at most ${max} characters for this tenant (a tenant's results table names carry a ${scopePrefix(caller.tenant).length}-character tag)`);
  }
  const jobId = scopeId(caller.tenant, item.job_id);
  return {
    ...item,
    pk: jobKey(jobId),
    job_id: jobId,
    tenant: caller.tenant,
    ...claims,
    ...shared,
    ...(item.pending_shard === undefined ? {} : { pending_shard: shardKey(item.queue, jobId) }),
    recent_shard: recentShard(jobId),
    recent_at: recentAt(item.created_at, jobId),
  };
}
