import { DEFAULT_TENANT } from '../identity/caller.js';
import { wireId } from '../identity/tenantScope.js';
import { NEVER } from './scheduleTicks.js';
import type { ScheduleItem } from './types.js';

/** A schedule as GET /schedules/{scheduleID} answers it: its request, its next tick and its last run. */
export function scheduleStatus(s: ScheduleItem) {
  const { args, ...job } = JSON.parse(s.request) as Record<string, unknown>;
  return {
    schedule_id: wireId(s.schedule_id),
    tenant: s.tenant ?? DEFAULT_TENANT,
    task: s.task,
    args: args ?? null,
    job,
    cron: s.cron,
    timezone: s.timezone,
    catchup: s.catchup,
    paused: s.paused === true,
    created_at: s.created_at,
    next_run: s.paused === true || s.next_at === NEVER ? null : new Date(s.next_at).toISOString(),
    last_run: s.last_tick ?? null,
    last_job_id: s.last_job_id === undefined ? null : wireId(s.last_job_id),
    last_error: s.last_error ?? null,
    skipped: s.skipped ?? 0,
  };
}

export type ScheduleStatus = ReturnType<typeof scheduleStatus>;
