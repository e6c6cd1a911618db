import { Cron } from 'croner';
import type { Catchup } from './types.js';

/** A tick seen more than this late counts as missed (`catchup`): a minute's evaluation in AWS, plus slack for a slow start. */
export const SCHEDULE_GRACE_MS = 120_000;
/** At most this many missed ticks (`catchup = "all"`) are run per write; the rest follow in the next writes. */
export const CATCHUP_BATCH = 25;
/** No tick at all: a pattern that never fires again is parked here (the largest date). */
export const NEVER = 8_640_000_000_000_000;

/** The cron pattern in its timezone (five fields: minute resolution); throws croner's error for a bad pattern or zone. */
export function cronFor(pattern: string, timezone: string): Cron {
  return new Cron(pattern, { timezone, mode: '5-part' });
}

/** The first tick strictly after `afterMs`, or NEVER. */
export function nextTick(cron: Cron, afterMs: number): number {
  return cron.nextRun(new Date(afterMs))?.getTime() ?? NEVER;
}

/** What one evaluation does with a due schedule: the ticks to run (oldest first), how many it skips, and the new `next_at`. */
export interface TickPlan {
  run: number[];
  skipped: number;
  next: number;
}

/**
 * The plan for a schedule whose first unhandled tick is `nextAt`, at `now`: every
 * tick due within `graceMs` runs; the missed ones before them follow `catchup`.
 * `all` runs at most `batch` missed ticks now, oldest first, and leaves `next` on
 * the tick after them, so the rest are still due (and each write stays small).
 */
export function planTicks(cron: Cron, nextAt: number, catchup: Catchup, now: number, graceMs = SCHEDULE_GRACE_MS, batch = CATCHUP_BATCH): TickPlan {
  if (nextAt > now) return { run: [], skipped: 0, next: nextAt };
  const onTimeFrom = Math.max(nextAt, now - graceMs);
  const missed: number[] = [];
  let skipped = 0;
  if (nextAt < onTimeFrom) {
    if (catchup === 'all') {
      for (let t = nextAt; t < onTimeFrom && t <= now; t = nextTick(cron, t)) {
        if (missed.length === batch) return { run: missed, skipped: 0, next: t };
        missed.push(t);
      }
    } else {
      // Counted up to a bound, for the record; a long outage of a frequent pattern is not walked tick by tick.
      for (let t = nextAt; t < onTimeFrom && skipped < 1_000; t = nextTick(cron, t)) skipped++;
      const latest = cron.previousRuns(1, new Date(onTimeFrom))[0]?.getTime();
      if (catchup === 'latest' && latest !== undefined && latest >= nextAt) {
        missed.push(latest);
        skipped--;
      }
    }
  }
  const onTime: number[] = [];
  for (let t = nextAt >= onTimeFrom ? nextAt : nextTick(cron, onTimeFrom - 1); t <= now; t = nextTick(cron, t)) onTime.push(t);
  return { run: [...missed, ...onTime], skipped, next: nextTick(cron, now) };
}

/** The tick's part of its job's ID: `yyyymmddhhmm` in UTC. */
export function tickStamp(tickMs: number): string {
  return new Date(tickMs).toISOString().slice(0, 16).replace(/[-T:]/g, '');
}
