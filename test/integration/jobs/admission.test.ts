/**
 * Admission end to end, on the real parts (test/support/admissionWorld.ts): fair
 * share between tenants, priorities, tenant_max_queued, and an exact queue limit
 * with AWS's minimum of 2 pollers, all watched on PostgreSQL's pg_stat_activity.
 * bench/fairness.ts runs the same at full size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { admissionTenant, slotKey, tenantCounterKey } from '../../../lib/jobs/admission.js';
import { scopeId } from '../../../lib/identity/tenantScope.js';
import { startAdmissionWorld, type AdmissionWorld, type Running } from '../../support/admissionWorld.js';
import { sleep, until } from '../../support/until.js';
import { createAwsClients } from '../../../lib/awsClients.js';
import { submitGroup } from '../../../lib/lifecycle/submitGroup.js';
import { sweepWaiting } from '../../../lib/lifecycle/sweepWaiting.js';
import { GROUP_SUBMIT_WINDOW_MS } from '../../../lib/groups/types.js';

const QUEUES = `
[queues.fair]
concurrency = 4
tenant_concurrency = 2
tenant_max_queued = 8

[queues.solo]
concurrency = 1

[queues.capped]
concurrency = 1
tenant_max_queued = 2
`;
const TASKS = `
-- name: nap
-- queue: fair
SELECT pg_sleep($1::float8) AS slept;

-- name: solo_nap
-- queue: solo
SELECT pg_sleep($1::float8) AS slept;

-- name: hold
-- queue: capped
SELECT pg_sleep($1::float8) AS slept;
`;

let w: AdmissionWorld;
beforeAll(async () => {
  w = await startAdmissionWorld({ queues: QUEUES, tasks: TASKS });
}, 120_000);
afterAll(async () => {
  await w?.stop();
});

/** Samples the running queries every `everyMs` until `stop()`; keeps each sample and when each job was first seen. */
function watch(everyMs = 50) {
  const samples: Running[][] = [];
  const firstSeen = new Map<string, number>();
  let on = true;
  const done = (async () => {
    while (on) {
      // A test that failed before its stop() leaves the loop to end with the world.
      const now = await w.running().catch(() => undefined);
      if (!now) return;
      const t = Date.now();
      samples.push(now);
      for (const r of now) if (!firstSeen.has(r.jobId)) firstSeen.set(r.jobId, t);
      await sleep(everyMs);
    }
  })();
  return {
    samples,
    firstSeen,
    async stop() {
      on = false;
      await done;
    },
  };
}

const counter = async (pk: string) => {
  const ddb = createAwsClients(w.app.settings).ddb;
  const out = await ddb.send(new GetCommand({ TableName: w.app.settings.table, Key: { pk }, ConsistentRead: true }));
  return out.Item as { running?: number; waiting?: number } | undefined;
};

describe('fair share and priorities on one queue', () => {
  it('caps each tenant and the queue, starts the other tenants before the backlog, runs priority 9 first, loses nothing', async () => {
    const seen = watch();
    const a = Array.from({ length: 8 }, (_, i) => `a-${String(i).padStart(2, '0')}`);
    const zeros = await Promise.all(a.slice(0, -1).map((id) => w.submit('tenant-a', 'nap', { job_id: id, args: ['1'] })));
    expect(zeros.map((x) => x.statusCode)).toEqual(a.slice(0, -1).map(() => 200));
    expect((await w.submit('tenant-a', 'nap', { job_id: a.at(-1), args: ['1'], priority: 9 })).statusCode).toBe(200);
    const p9SubmittedAt = Date.now();
    await until('A runs two', async () => (await w.running()).filter((r) => r.jobId.startsWith('a-')).length === 2, { timeoutMs: 10_000 });
    const others = ['b', 'c'].flatMap((t) => [0, 1].map((i) => ({ tenant: `tenant-${t}`, id: `${t}-${i}` })));
    const submittedAt = Date.now();
    const answers = await Promise.all(others.map((o) => w.submit(o.tenant, 'nap', { job_id: o.id, args: ['0.4'] })));
    expect(answers.map((x) => x.statusCode)).toEqual(others.map(() => 200));
    await until('B and C all started', () => others.every((o) => seen.firstSeen.has(o.id)), { timeoutMs: 15_000 });
    await until("A's priority-9 job started", () => seen.firstSeen.has(a.at(-1)!), { timeoutMs: 15_000 });
    await seen.stop();

    const byTag = new Map<string, string>(['tenant-a', 'tenant-b', 'tenant-c'].map((t) => [admissionTenant({ tenant: t }), t]));
    for (const sample of seen.samples) {
      expect(sample.length, 'the queue runs at most its concurrency').toBeLessThanOrEqual(4);
      const perTenant = new Map<string, number>();
      for (const r of sample) perTenant.set(r.tag, (perTenant.get(r.tag) ?? 0) + 1);
      for (const [tag, n] of perTenant) expect(n, `${byTag.get(tag)} runs at most tenant_concurrency`).toBeLessThanOrEqual(2);
    }
    // B and C do not wait behind A's backlog: while they all start, A starts a few at most (round robin), and still has jobs waiting.
    const lastOther = Math.max(...others.map((o) => seen.firstSeen.get(o.id)!));
    const aStarts = a.map((id) => seen.firstSeen.get(id) ?? Infinity);
    expect(aStarts.filter((t) => t > submittedAt && t <= lastOther).length, "A's jobs started while B's and C's did").toBeLessThanOrEqual(4);
    expect(aStarts.filter((t) => t > lastOther).length, "A's jobs still waiting when the last of B's and C's started").toBeGreaterThanOrEqual(1);
    // Priority 9, submitted last, starts before A's priority-0 jobs still waiting then: only those admitted before it came start in between
    // (the 2 holding A's slots, and one whose hand-over read A's list just before priority 9 was written).
    const p9 = seen.firstSeen.get(a.at(-1)!)!;
    const zeroStarts = a.slice(0, -1).map((id) => seen.firstSeen.get(id) ?? Infinity);
    expect(zeroStarts.filter((t) => t > p9SubmittedAt && t < p9).length, "A's priority-0 jobs that started between priority 9's submit and start").toBeLessThanOrEqual(3);
    expect(zeroStarts.filter((t) => t > p9).length, "A's priority-0 jobs still waiting when priority 9 started").toBeGreaterThanOrEqual(1);

    // Cancel the rest: every job ends SUCCESS or CANCELLED, and every counter is back to zero (nothing leaked).
    const allA = a;
    for (const id of allA) await w.cancel('tenant-a', id);
    const jobs = [...allA.map((id) => scopeId('tenant-a', id)), ...others.map((o) => scopeId(o.tenant, o.id))];
    await until('every job final', async () => {
      const items = await w.app.store.getMany(jobs);
      return items.every((j) => ['SUCCESS', 'CANCELLED'].includes(j.status)) && items;
    }, { timeoutMs: 20_000 });
    const items = await w.app.store.getMany(jobs);
    expect(items.filter((j) => j.status === 'SUCCESS').map((j) => j.job_id)).toEqual(expect.arrayContaining(others.map((o) => scopeId(o.tenant, o.id))));
    await until('counters at zero', async () => {
      const counts = await Promise.all([slotKey('fair', 0), ...[...byTag.keys()].map((tag) => tenantCounterKey('fair', tag))].map(counter));
      return counts.every((c) => (c?.running ?? 0) === 0 && (c?.waiting ?? 0) === 0);
    }, { timeoutMs: 10_000 });
  }, 60_000);
});

describe('coalesced waiters', () => {
  it('a parked waiter gives its slot back while it waits: its tenant\'s next job runs meanwhile; released, it is admitted again and reuses the result', async () => {
    const t = 'tenant-w';
    const job = (id: string) => w.app.store.get(scopeId(t, id));
    expect((await w.submit(t, 'nap', { job_id: 'w-lead', args: ['3'], max_age: 300 })).statusCode).toBe(200);
    await until('the leader runs', async () => (await w.running()).some((r) => r.jobId === 'w-lead'), { timeoutMs: 10_000 });
    // Its twin takes the tenant's second slot, parks on the leader, and gives the slot back.
    expect((await w.submit(t, 'nap', { job_id: 'w-twin', args: ['3'], max_age: 300 })).statusCode).toBe(200);
    await until('the twin parked', async () => (await job('w-twin'))?.waits_for !== undefined, { timeoutMs: 10_000 });
    const parked = (await job('w-twin'))!;
    expect(parked).toMatchObject({ status: 'PENDING', adm_queued: true });
    expect(parked.admitted).toBeUndefined();
    // So the tenant's next job (tenant_concurrency 2) runs while the leader still does.
    expect((await w.submit(t, 'nap', { job_id: 'w-next', args: ['0.2'] })).statusCode).toBe(200);
    await until('the next job done', async () => (await job('w-next'))?.status === 'SUCCESS', { timeoutMs: 10_000 });
    expect((await job('w-lead'))?.status).toBe('STARTED');
    // The leader's end releases the twin: admitted again, it copies the leader's result.
    await until('the twin done', async () => (await job('w-twin'))?.status === 'SUCCESS', { timeoutMs: 20_000 });
    expect(await job('w-twin')).toMatchObject({ reused_from: scopeId(t, 'w-lead'), admitted: true, adm_released: true });
    await until('counters at zero', async () => {
      const c = await counter(tenantCounterKey('fair', admissionTenant({ tenant: t })));
      return (c?.running ?? 0) === 0 && (c?.waiting ?? 0) === 0;
    }, { timeoutMs: 10_000 });
  }, 40_000);
});

describe('tenant_max_queued', () => {
  it('answers 429 with Retry-After past it, records nothing, and takes submits again once a place is free', async () => {
    // One running (concurrency 1) and two waiting: the tenant's limit.
    for (const id of ['q-0', 'q-1', 'q-2']) expect((await w.submit('tenant-q', 'hold', { job_id: id, args: ['30'] })).statusCode).toBe(200);
    const refused = await w.submit('tenant-q', 'hold', { job_id: 'q-3', args: ['30'] });
    expect(refused.statusCode).toBe(429);
    expect(refused.body.code).toBe('tenant_queue_full');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await w.app.store.get(scopeId('tenant-q', 'q-3'))).toBeUndefined();
    // Another tenant is not refused; a cancelled waiting job frees its place.
    expect((await w.submit('tenant-r', 'hold', { job_id: 'r-0', args: ['30'] })).statusCode).toBe(200);
    expect(await w.cancel('tenant-q', 'q-2')).toBe(200);
    expect((await w.submit('tenant-q', 'hold', { job_id: 'q-3', args: ['30'] })).statusCode).toBe(200);
    for (const [t, id] of [['tenant-q', 'q-0'], ['tenant-q', 'q-1'], ['tenant-q', 'q-3'], ['tenant-r', 'r-0']] as const) await w.cancel(t, id);
    await until('capped counters at zero', async () => {
      const counts = await Promise.all([slotKey('capped', 0), tenantCounterKey('capped', admissionTenant({ tenant: 'tenant-q' })), tenantCounterKey('capped', admissionTenant({ tenant: 'tenant-r' }))].map(counter));
      return counts.every((c) => (c?.running ?? 0) === 0 && (c?.waiting ?? 0) === 0);
    }, { timeoutMs: 10_000 });
  }, 40_000);

  it('refuses a group whole (429, Retry-After, nothing written) when its members would pass it; a group\'s held members count among the waiting', async () => {
    const t = 'tenant-g';
    const waiting = async () => (await counter(tenantCounterKey('capped', admissionTenant({ tenant: t }))))?.waiting ?? 0;
    // One running holds the queue's only slot.
    expect((await w.submit(t, 'hold', { job_id: 'g-run', args: ['30'] })).statusCode).toBe(200);
    await until('g-run admitted', async () => (await w.app.store.get(scopeId(t, 'g-run')))?.admitted === true, { timeoutMs: 10_000 });
    const group = (id: string, n: number) => ({ group_id: id, concurrency: 1, jobs: Array.from({ length: n }, (_, i) => ({ task: 'hold', job_id: `${id}-${i}`, args: ['30'] })) });
    // Three members, two places: refused before anything is written.
    const tooBig = await w.submitGroup(t, group('big', 3));
    expect(tooBig.statusCode).toBe(429);
    expect(tooBig.body.code).toBe('tenant_queue_full');
    expect(Number(tooBig.headers['retry-after'])).toBeGreaterThan(0);
    // Two fit; then one waiting job takes a place, and the same group no longer fits: its write is refused, nothing stays.
    expect((await w.submit(t, 'hold', { job_id: 'g-wait', args: ['30'] })).statusCode).toBe(200);
    const over = await w.submitGroup(t, group('over', 2));
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBeDefined();
    for (const id of ['big-0', 'big-1', 'big-2', 'over-0', 'over-1']) expect(await w.app.store.get(scopeId(t, id))).toBeUndefined();
    expect(await w.app.groups.get(scopeId(t, 'over'))).toBeUndefined();
    expect(await waiting()).toBe(1);
    // A place frees: a group of one fits; its held members count too, so a single submit is refused now.
    expect(await w.cancel(t, 'g-wait')).toBe(200);
    const fits = await w.submitGroup(t, group('fits', 2));
    expect(fits.statusCode, JSON.stringify(fits.body)).toBe(200);
    expect(await waiting()).toBe(2);
    expect((await w.submit(t, 'hold', { job_id: 'g-more', args: ['30'] })).statusCode).toBe(429);
    for (const id of ['g-run', 'fits-0', 'fits-1']) await w.cancel(t, id);
    await until('counters back at zero', async () => (await waiting()) === 0 && ((await counter(tenantCounterKey('capped', admissionTenant({ tenant: t }))))?.running ?? 0) === 0, { timeoutMs: 10_000 });
  }, 40_000);
});

describe('a group whose submit died before its record', () => {
  it('loses its held members with their waiting places to the sweeper (none left CANCELLED)', async () => {
    const t = 'tenant-lost';
    const ids = ['lost-0', 'lost-1'];
    const c = () => counter(tenantCounterKey('capped', admissionTenant({ tenant: t })));
    const answer = await w.submitGroup(t, { group_id: 'lost', concurrency: 1, jobs: ids.map((job_id) => ({ task: 'hold', job_id, args: ['30'] })) });
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(200);
    await until('the first member admitted', async () => (await w.app.store.get(scopeId(t, 'lost-0')))?.admitted === true, { timeoutMs: 10_000 });
    expect(await c()).toMatchObject({ waiting: 1, running: 1 });
    // As if its submit had died just before the group's record: the members stay, counted, and nothing will dispatch them.
    await w.app.groups.delete((await w.app.groups.get(scopeId(t, 'lost')))!);
    // A sweep past the submit window and past resend_after (the sweeper looks only at jobs overdue by it).
    const swept = await sweepWaiting(w.app, Date.now() + Math.max(GROUP_SUBMIT_WINDOW_MS, w.app.config.app.resendAfterMs) + 5_000);
    // The held member goes with its place; the admitted one (running by now, or cancelled here if not yet claimed) keeps its slot until it ends.
    expect(swept.removed).toBeGreaterThanOrEqual(1);
    expect(await w.app.store.get(scopeId(t, 'lost-1')), 'the held member is gone, not CANCELLED').toBeUndefined();
    expect((await c())?.waiting).toBe(0);
    await w.cancel(t, 'lost-0');
    expect((await w.app.store.get(scopeId(t, 'lost-0')))?.status).toBe('CANCELLED');
    await until('its counter back at zero', async () => ((x) => (x?.waiting ?? 0) === 0 && (x?.running ?? 0) === 0)(await c()), { timeoutMs: 10_000 });
  }, 40_000);
});

describe('concurrency = 1 with two pollers', () => {
  it('runs one query at a time, and every job, group members (with their group priority) included', async () => {
    const seen = watch(30);
    const ids = Array.from({ length: 5 }, (_, i) => `solo-${i}`);
    for (const id of ids.slice(0, 3)) expect((await w.submit('tenant-s', 'solo_nap', { job_id: id, args: ['0.4'] })).statusCode).toBe(200);
    // Two members of a group: dispatched by their group, then admitted like any job of their tenant.
    const caller = { tenant: 'tenant-s', operator: false, claims: {} };
    await submitGroup(w.app, { concurrency: 2, priority: 5, jobs: ids.slice(3).map((job_id) => ({ task: 'solo_nap', job_id, args: ['0.4'] })) }, caller);
    await until('all ran', async () => {
      const items = await w.app.store.getMany(ids.map((id) => scopeId('tenant-s', id)));
      return items.length === ids.length && items.every((j) => j.status === 'SUCCESS') && items;
    }, { timeoutMs: 30_000 });
    expect((await w.app.store.get(scopeId('tenant-s', 'solo-4')))?.priority).toBe(5);
    await seen.stop();
    expect(w.app.config.queues.solo!.concurrency).toBe(1);
    expect(Math.max(...seen.samples.map((s) => s.filter((r) => r.jobId.startsWith('solo-')).length))).toBe(1);
    expect(ids.every((id) => seen.firstSeen.has(id))).toBe(true);
  }, 40_000);

  it("hands the slot over before the ending job's bookkeeping: the next job runs while the reuse pointer's write hangs", async () => {
    const reuse = w.app.reuse;
    const put = reuse.put.bind(reuse);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let held = 0;
    reuse.put = async (...args) => {
      held++;
      await gate;
      return put(...args);
    };
    try {
      const ids = ['solo-h1', 'solo-h2'];
      for (const id of ids) expect((await w.submit('tenant-h', 'solo_nap', { job_id: id, args: ['0.2'] })).statusCode).toBe(200);
      // The first job's invocation waits on its pointer; its slot already went to the second (the queue's second poller runs it).
      await until('both ran while the first job\'s bookkeeping hangs', async () => {
        const items = await w.app.store.getMany(ids.map((id) => scopeId('tenant-h', id)));
        return items.length === 2 && items.every((j) => j.status === 'SUCCESS') && items;
      }, { timeoutMs: 15_000 });
      expect(held).toBeGreaterThanOrEqual(1);
    } finally {
      open();
      reuse.put = put;
    }
  }, 30_000);
});
