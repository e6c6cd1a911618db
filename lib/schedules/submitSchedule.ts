import type { Config } from '../config/types.js';
import { DEFAULT_TENANT, SERVICE_CALLER, type Caller } from '../identity/caller.js';
import { scopeId } from '../identity/tenantScope.js';
import type { TaskRegistry } from '../tasks/types.js';
import { parseScheduleRequest } from './parseScheduleRequest.js';
import { scheduleKey, scheduleShard, type ScheduleStore } from './scheduleStore.js';
import { scheduleStatus, type ScheduleStatus } from './scheduleStatus.js';
import type { ScheduleItem } from './types.js';

export interface ScheduleDeps {
  config: Config;
  tasks: TaskRegistry;
  schedules: ScheduleStore;
}

/**
 * POST /schedules: checks the request as each tick will make its job, then records
 * the schedule for the caller's tenant (with its claims, for caller-bound
 * parameters). Nothing is recorded when anything is wrong.
 */
export async function submitSchedule(deps: ScheduleDeps, body: unknown, caller: Caller = SERVICE_CALLER, now = Date.now()): Promise<ScheduleStatus> {
  const req = parseScheduleRequest(body, deps, caller.tenant, now);
  const scheduleId = scopeId(caller.tenant, req.schedule_id);
  const item: ScheduleItem = {
    pk: scheduleKey(scheduleId),
    schedule_id: scheduleId,
    ...(caller.tenant === DEFAULT_TENANT ? {} : { tenant: caller.tenant }),
    ...(Object.keys(caller.claims).length > 0 ? { claims: JSON.stringify(caller.claims) } : {}),
    task: req.task,
    request: JSON.stringify(req.jobBody),
    cron: req.cron,
    timezone: req.timezone,
    catchup: req.catchup,
    created_at: new Date(now).toISOString(),
    schedule_shard: scheduleShard(scheduleId),
    next_at: req.next_at,
  };
  await deps.schedules.create(item);
  return scheduleStatus(item);
}
