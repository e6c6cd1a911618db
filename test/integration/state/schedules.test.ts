/**
 * Schedules against DynamoDB Local and fauxqs, with an injected clock: the
 * evaluator (the scheduler function's code) run by several evaluators at once
 * makes exactly one job per tick; timezones and daylight-saving changes follow
 * croner; after an outage `catchup` decides what runs; a bad request records
 * nothing; a paused schedule makes nothing and resumes from its next tick.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_CALLER } from '../../../lib/identity/caller.js';
import { evaluateSchedules, type EvaluateDeps } from '../../../lib/lifecycle/evaluateSchedules.js';
import type { JobItem } from '../../../lib/jobs/types.js';
import { ScheduleStore } from '../../../lib/schedules/scheduleStore.js';
import { setSchedulePaused } from '../../../lib/schedules/setSchedulePaused.js';
import { submitSchedule } from '../../../lib/schedules/submitSchedule.js';
import { startStateWorld, type StateWorld } from '../../support/stateWorld.js';

let world: StateWorld;
let deps: EvaluateDeps;
let schedules: ScheduleStore;

beforeAll(async () => {
  world = await startStateWorld();
  schedules = new ScheduleStore(world.ddb, world.table, { shards: 1 });
  deps = { ...world, schedules };
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

// Each test's clock is its own: a schedule left from another would be due (and caught up) under it.
afterEach(async () => {
  for (const s of await schedules.list()) await schedules.delete(s.schedule_id);
});

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
/** The jobs a schedule made, by tick. */
const jobsOf = async (scheduleId: string) =>
  (await world.jobs()).filter((j) => j.schedule_id === scheduleId).sort((a, b) => (a.scheduled_for! < b.scheduled_for! ? -1 : 1));
const create = (body: Record<string, unknown>, now: number, caller = SERVICE_CALLER) => submitSchedule({ ...world, schedules }, { task: 't', args: ['x'], ...body }, caller, now);

describe('each tick makes exactly one job', () => {
  it('*/1 in Asia/Kolkata over 10 minutes with 3 concurrent evaluators makes 10 jobs, one per minute', async () => {
    const start = at('2026-12-07T12:00:30Z');
    await create({ schedule_id: 'kolkata', cron: '*/1 * * * *', timezone: 'Asia/Kolkata' }, start);
    // Every minute for 10 minutes, three evaluators at once, each with its own idea of now (up to 2 s apart).
    for (let now = start + MINUTE; now <= start + 10 * MINUTE; now += MINUTE) {
      await Promise.all([0, 700, 2000].map((skew) => evaluateSchedules(deps, { now: now + skew })));
    }
    const jobs = await jobsOf('kolkata');
    expect(jobs.map((j) => j.scheduled_for)).toEqual(Array.from({ length: 10 }, (_, i) => new Date(at('2026-12-07T12:01:00Z') + i * MINUTE).toISOString()));
    expect(jobs.map((j) => j.job_id)).toEqual(Array.from({ length: 10 }, (_, i) => `kolkata:2026120712${String(i + 1).padStart(2, '0')}`));
    expect(new Set(jobs.map((j) => j.status))).toEqual(new Set(['PENDING']));
    // One message per job, no more.
    const messages = await world.receive('q', 500);
    expect(messages.map((m) => m.job_id).sort()).toEqual(jobs.map((j) => j.job_id));
    const s = (await schedules.get('kolkata'))!;
    expect(s.last_tick).toBe('2026-12-07T12:10:00.000Z');
    expect(s.next_at).toBe(at('2026-12-07T12:11:00Z'));
  }, 60_000);

  it('a tick whose job finished before a late evaluator came does not run again', async () => {
    const start = at('2026-12-08T08:00:10Z');
    await create({ schedule_id: 'late', cron: '*/1 * * * *' }, start);
    const stale = (await schedules.get('late'))!;
    await evaluateSchedules(deps, { now: start + MINUTE });
    const [job] = await jobsOf('late');
    const [message] = await world.receive('q', 500);
    await world.work(message!, 'success');
    // An evaluator that read the schedule before the first moved it: its write is refused, the finished job stays.
    const out = await deps.store.createWith([{ ...job!, run_id: 'other', status: 'PENDING' } as JobItem], (await import('../../../lib/schedules/scheduleStore.js')).advanceUpdate(stale, { next: start + 2 * MINUTE, skipped: 0 }));
    expect(out).toEqual({ otherRefused: true });
    expect((await deps.store.get(job!.job_id))!.status).toBe('SUCCESS');
  });
});

describe('timezones and daylight saving (croner rules)', () => {
  /** Runs evaluators every `stepMs` from `from` to `to`, catching up every tick (`all`), and answers the ticks that made jobs. */
  async function ticks(id: string, cron: string, from: string, to: string, stepMs: number) {
    await create({ schedule_id: id, cron, timezone: 'America/New_York', catchup: 'all' }, at(from));
    for (let now = at(from) + stepMs; now < at(to); now += stepMs) await evaluateSchedules(deps, { now });
    await evaluateSchedules(deps, { now: at(to) });
    return (await jobsOf(id)).map((j) => j.scheduled_for);
  }

  it('02:30 daily across the spring-forward night runs once a day, at 03:00 EDT the night 02:30 does not exist', async () => {
    expect(await ticks('spring', '30 2 * * *', '2026-03-06T00:00:00Z', '2026-03-10T00:00:00Z', 48 * 3600_000)).toEqual([
      '2026-03-06T07:30:00.000Z',
      '2026-03-07T07:30:00.000Z',
      '2026-03-08T07:00:00.000Z',
      '2026-03-09T06:30:00.000Z',
    ]);
  });

  it('hourly on the fall-back day runs 25 times (01:00 comes twice), and 01:30 daily runs once that night', async () => {
    const hourly = await ticks('fall-hourly', '0 * * * *', '2026-11-01T03:59:00Z', '2026-11-02T04:30:00Z', 12 * 3600_000);
    expect(hourly).toHaveLength(25);
    expect(hourly.filter((t) => t!.startsWith('2026-11-01T05') || t!.startsWith('2026-11-01T06'))).toEqual(['2026-11-01T05:00:00.000Z', '2026-11-01T06:00:00.000Z']);
    expect(await ticks('fall-daily', '30 1 * * *', '2026-10-31T00:00:00Z', '2026-11-03T00:00:00Z', 36 * 3600_000)).toEqual([
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
  });
});

describe('catchup after a 5-minute outage', () => {
  it('none runs no missed tick, latest the last one, all each of the five', async () => {
    const start = at('2026-12-09T12:00:30Z');
    for (const rule of ['none', 'latest', 'all']) await create({ schedule_id: `catchup-${rule}`, cron: '*/1 * * * *', catchup: rule }, start);
    await evaluateSchedules(deps, { now: at('2026-12-09T12:01:05Z'), graceMs: 30_000 });
    // No evaluator runs from 12:01:05 to 12:06:45: the ticks 12:02 to 12:06 are each more than 30 s late by then.
    await Promise.all([1, 2].map(() => evaluateSchedules(deps, { now: at('2026-12-09T12:06:45Z'), graceMs: 30_000 })));
    await evaluateSchedules(deps, { now: at('2026-12-09T12:07:05Z'), graceMs: 30_000 });
    const missed = async (rule: string) =>
      (await jobsOf(`catchup-${rule}`)).map((j) => j.scheduled_for!.slice(11, 16)).filter((t) => t >= '12:02' && t <= '12:06');
    expect(await missed('none')).toEqual([]);
    expect(await missed('latest')).toEqual(['12:06']);
    expect(await missed('all')).toEqual(['12:02', '12:03', '12:04', '12:05', '12:06']);
    // Before and after the outage, every rule ran its ticks on time.
    for (const rule of ['none', 'latest', 'all']) {
      const all = (await jobsOf(`catchup-${rule}`)).map((j) => j.scheduled_for!.slice(11, 16));
      expect(all[0], rule).toBe('12:01');
      expect(all.at(-1), rule).toBe('12:07');
    }
    expect((await schedules.get('catchup-none'))!.skipped).toBe(5);
    expect((await schedules.get('catchup-latest'))!.skipped).toBe(4);
    expect((await schedules.get('catchup-all'))!.skipped ?? 0).toBe(0);
  });
});

describe('requests, pauses, tenants', () => {
  const recorded = async () =>
    ((await world.ddb.send(new ScanCommand({ TableName: world.table, ConsistentRead: true }))).Items ?? []).filter((i) => String(i.pk).startsWith('schedule#')).length;

  it('a bad cron, timezone, task, args or job option is a 400 naming the field, and records nothing', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ cron: '61 * * * *' }, /^cron: Invalid value for minute: 61/],
      [{ cron: '* * * * * *' }, /^cron: .*requires exactly 5 parts/],
      [{ cron: '0 9 30 2 *' }, /^cron: "0 9 30 2 \*" never fires/],
      [{ cron: '* * * * *', timezone: 'Mars/Olympus' }, /^timezone: unknown timezone "Mars\/Olympus"/],
      [{ cron: '* * * * *', task: 'nope' }, /^task: unknown task "nope"/],
      [{ cron: '* * * * *', args: [] }, /^args: task "t" takes 1 argument\(s\), got 0/],
      [{ cron: '* * * * *', job: { retries: 101 } }, /^job\.retries: must be at most 100/],
      [{ cron: '* * * * *', job: { queue: 'nowhere' } }, /^job\.queue: unknown queue "nowhere"/],
      [{ cron: '* * * * *', job: { eta: '2030-01-01 00:00:00' } }, /^job\.eta: not allowed in a schedule/],
      [{ cron: '* * * * *', job: { colour: 'red' } }, /^job: unknown field\(s\): "colour"/],
      [{ cron: '* * * * *', catchup: 'some' }, /^catchup: one of none, latest, all/],
      [{ cron: '* * * * *', schedule_id: 'a:b' }, /^schedule_id: may contain only/],
    ];
    const before = await recorded();
    for (const [body, message] of cases) {
      await expect(create(body, Date.now()), JSON.stringify(body)).rejects.toMatchObject({ statusCode: 400, message: expect.stringMatching(message) });
    }
    expect(await recorded()).toBe(before);
  });

  it('a second schedule with the same ID is refused with 409 schedule_exists', async () => {
    await create({ schedule_id: 'twice', cron: '0 0 * * *' }, Date.now());
    await expect(create({ schedule_id: 'twice', cron: '0 1 * * *' }, Date.now())).rejects.toMatchObject({ statusCode: 409, code: 'schedule_exists' });
    expect((await schedules.get('twice'))!.cron).toBe('0 0 * * *');
  });

  it('a paused schedule makes no job; resumed, it starts at its next tick without catching up the pause', async () => {
    const start = at('2026-12-10T09:00:30Z');
    await create({ schedule_id: 'napping', cron: '*/1 * * * *', catchup: 'all' }, start);
    await setSchedulePaused(schedules, 'napping', true, start + 1000);
    await evaluateSchedules(deps, { now: start + 5 * MINUTE });
    expect(await jobsOf('napping')).toEqual([]);
    const resumed = await setSchedulePaused(schedules, 'napping', false, start + 5 * MINUTE);
    expect(resumed).toMatchObject({ paused: false, next_run: '2026-12-10T09:06:00.000Z' });
    await evaluateSchedules(deps, { now: start + 6 * MINUTE });
    expect((await jobsOf('napping')).map((j) => j.scheduled_for)).toEqual(['2026-12-10T09:06:00.000Z']);
  });

  it("a tenant's schedule makes that tenant's jobs; a tick whose task is gone is recorded, not retried", async () => {
    const start = at('2026-12-11T10:00:30Z');
    const acme = { tenant: 'acme', operator: false, claims: {} };
    const status = await create({ schedule_id: 'nightly', cron: '*/1 * * * *' }, start, acme);
    expect(status).toMatchObject({ schedule_id: 'nightly', tenant: 'acme', next_run: '2026-12-11T10:01:00.000Z' });
    await evaluateSchedules(deps, { now: start + MINUTE });
    const [job] = (await world.jobs()).filter((j) => j.tenant === 'acme' && j.schedule_id?.endsWith('~nightly'));
    expect(job).toMatchObject({ tenant: 'acme', scheduled_for: '2026-12-11T10:01:00.000Z' });
    expect(job!.job_id).toMatch(/^[a-z2-7]{12}~nightly:202612111001$/);
    // The task disappears (a deployment dropped its file): the tick is recorded as failed and the schedule moves on.
    const gone = { ...deps, tasks: { ...world.tasks, get: () => undefined } as typeof world.tasks };
    const tally = await evaluateSchedules(gone, { now: start + 2 * MINUTE });
    expect(tally.failed).toBeGreaterThanOrEqual(1);
    const s = (await schedules.list()).find((x) => x.schedule_id === job!.schedule_id)!;
    expect(s.last_error).toMatch(/task "t" no longer exists/);
    expect(s.next_at).toBe(at('2026-12-11T10:03:00Z'));
  });
});
