import { ScheduleNotFoundError } from '../errors.js';
import { wireId } from '../identity/tenantScope.js';
import { cronFor, nextTick } from './scheduleTicks.js';
import type { ScheduleStore } from './scheduleStore.js';
import { scheduleStatus, type ScheduleStatus } from './scheduleStatus.js';

/**
 * Pauses or resumes a schedule (POST /schedules/{id}/pause, /resume). A resumed
 * schedule starts at its first tick after now: the ticks of the pause are not
 * caught up, whatever `catchup` says. Both are idempotent.
 */
export async function setSchedulePaused(schedules: ScheduleStore, scheduleId: string, paused: boolean, now = Date.now()): Promise<ScheduleStatus> {
  const item = await schedules.get(scheduleId);
  if (!item) throw new ScheduleNotFoundError(wireId(scheduleId));
  if ((item.paused === true) === paused) return scheduleStatus(item);
  const next = paused ? undefined : nextTick(cronFor(item.cron, item.timezone), now);
  const after = await schedules.setPaused(scheduleId, paused, next);
  if (!after) throw new ScheduleNotFoundError(wireId(scheduleId));
  return scheduleStatus(after);
}
