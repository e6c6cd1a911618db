/**
 * Group slots against DynamoDB Local and fauxqs, with injected conflicts and
 * throttling: a slot is released exactly once and handed on, whatever races it,
 * and nothing of one group (or of a job outside it) takes another's slot.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { GroupActiveError } from '../../../lib/errors.js';
import { cancelGroup } from '../../../lib/lifecycle/cancelGroup.js';
import { groupStatus } from '../../../lib/groups/groupStatus.js';
import { submitGroup } from '../../../lib/lifecycle/submitGroup.js';
import { GROUP_GRACE_SECONDS, groupKey, groupPageKey } from '../../../lib/groups/types.js';
import { cancelJob } from '../../../lib/lifecycle/cancelJob.js';
import { submitJob } from '../../../lib/jobs/submitJob.js';
import type { JobMessage } from '../../../lib/jobs/types.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { startStateWorld, transactionConflict, transactionThrottled, awsError, type StateWorld } from '../../support/stateWorld.js';
import { endJob } from '../../../lib/lifecycle/endJob.js';
import { succeeded } from '../../../lib/jobs/jobEndings.js';

let w: StateWorld;
let pools: DbPools;
beforeAll(async () => {
  w = await startStateWorld();
  pools = createDbPools();
}, 120_000);
afterAll(async () => {
  await pools?.end();
  await w?.stop();
});
beforeEach(async () => {
  w.ddbFaults.clear();
  w.sqsFaults.clear();
  await w.receive('q');
});

const deps = () => ({ config: w.config, tasks: w.tasks, store: w.store, groups: w.groups, queue: w.queue, log: w.log, pools });
let seq = 0;
const uid = (p: string) => `${p}-${++seq}-${Date.now().toString(36)}`;

async function group(concurrency: number, ids: string[], extra: Record<string, unknown>[] = []) {
  const groupId = uid('g');
  await submitGroup(deps(), { group_id: groupId, concurrency, jobs: ids.map((job_id, i) => ({ task: 't', job_id, args: ['1'], ...(extra[i] ?? {}) })) });
  return groupId;
}
const header = async (groupId: string) => (await w.groups.get(groupId))!;
const ids = (ms: JobMessage[]) => ms.map((m) => m.job_id).sort();
/** A transaction that writes the group header of `groupId` (a member's end, a dispatch). */
const touchesHeader = (groupId: string) => (input: Record<string, unknown>) => JSON.stringify(input).includes(`"group#${groupId}"`);

describe('2a: a conflicted or throttled release is retried, never taken for "already released"', () => {
  it.each([
    ['TransactionConflict', transactionConflict],
    ['throttling', transactionThrottled],
  ])('%s on the final write of a concurrency-1 member: the next member still gets the slot', async (_, error) => {
    const [a, b] = [uid('a'), uid('b')];
    const g = await group(1, [a, b]);
    const [ma] = await w.receive('q');
    expect(ma?.job_id).toBe(a);
    w.ddbFaults.add({ command: 'TransactWriteItemsCommand', match: touchesHeader(g), times: 2, error });
    const after = await w.work(ma!, 'success');
    expect(after).toMatchObject({ status: 'SUCCESS', released: true });
    expect(w.ddbFaults.hits.length).toBeGreaterThan(0);
    expect(ids(await w.receive('q'))).toEqual([b]);
    expect(await header(g)).toMatchObject({ next_index: 2, free_slots: 0, finished: 1 });
  });

  it('a conflict on taking the next position is retried too', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const g = await group(1, [a, b]);
    const [ma] = await w.receive('q');
    // The second transaction on the header is the dispatch of b.
    let n = 0;
    w.ddbFaults.add({ command: 'TransactWriteItemsCommand', match: (i) => touchesHeader(g)(i) && JSON.stringify(i).includes('next_index') && ++n > 0, times: 3, error: transactionConflict });
    await w.work(ma!, 'success');
    expect(ids(await w.receive('q'))).toEqual([b]);
    expect(await header(g)).toMatchObject({ next_index: 2, free_slots: 0, finished: 1 });
  });
});

describe('2b: a group dispatches only its own members', () => {
  it('skips a member whose ID now belongs to a standalone job, and goes on with the rest', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    const g = await group(1, [a, b, c]);
    const [ma] = await w.receive('q');
    await cancelJob(deps(), b);
    const later = new Date(Date.now() + 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    await submitJob(deps(), 't', { job_id: b, args: ['2'], eta: later });
    await w.work(ma!, 'success');
    const sent = await w.receive('q');
    expect(ids(sent)).toEqual([c]);
    const standalone = (await w.store.get(b))!;
    expect(standalone).toMatchObject({ status: 'PENDING', attempt: 0 });
    expect(standalone.group_id).toBeUndefined();
    expect(standalone.dispatched).toBeUndefined();
    await w.work(sent[0]!, 'success');
    const status = await groupStatus(deps(), g);
    expect(status.status).not.toBe('STARTED');
    expect(await header(g)).toMatchObject({ next_index: 3, finished: 3, free_slots: 1 });
  });
});

describe('2c: a late hand-over of an earlier group never lands in a later group with the same ID', () => {
  it('a member of a cancelled group that ends after a new group took its ID leaves the new group at its limit', async () => {
    const [a1, b1] = [uid('a'), uid('b')];
    const g = await group(1, [a1, b1]);
    const [ma] = await w.receive('q');
    const running = await w.work(ma!, 'none');
    expect(running?.status).toBe('STARTED');
    // A cancel that stopped half-way: the group is cancelled, its running member not yet.
    await w.groups.markCancelled(await header(g));
    const [x, y] = [uid('x'), uid('y')];
    await submitGroup(deps(), { group_id: g, concurrency: 1, jobs: [x, y].map((job_id) => ({ task: 't', job_id, args: ['1'] })) });
    expect(ids(await w.receive('q'))).toEqual([x]);
    const ended = await endJob(w, running!, succeeded(running!, 1, 'results_x'));
    expect(ended?.status).toBe('SUCCESS');
    expect(await w.receive('q', 300)).toEqual([]);
    expect(await header(g)).toMatchObject({ next_index: 1, free_slots: 0, finished: 0 });
  });
});

describe('2d: a group outlives its ETAs and its run', () => {
  it('expires after its latest ETA plus the longest TTL plus the grace; its pages expire too; an end pushes it on', async () => {
    const [a, b] = [uid('a'), uid('b')];
    const etaMs = Date.now() + 30 * 24 * 3600_000;
    const eta = new Date(etaMs).toISOString().slice(0, 19).replace('T', ' ');
    const g = await group(1, [a, b], [{}, { eta, ttl: 600 }]);
    const h = await header(g);
    expect(h.expires_at).toBeGreaterThanOrEqual(Math.floor(etaMs / 1000) + 600 + GROUP_GRACE_SECONDS);
    const page = (await w.ddb.send(new GetCommand({ TableName: w.table, Key: { pk: groupPageKey(g, 0) } }))).Item!;
    expect(page.expires_at).toBe(h.expires_at);
    const [ma] = await w.receive('q');
    const before = Math.floor(Date.now() / 1000);
    await w.work(ma!, 'success');
    const after = (await w.ddb.send(new GetCommand({ TableName: w.table, Key: { pk: groupKey(g) } }))).Item!;
    expect(after.expires_at).toBeGreaterThanOrEqual(before + 600 + GROUP_GRACE_SECONDS);
  });
});

describe('2e: a cancel whose kill fails still cancels and releases', () => {
  it('answers, frees the slot and dispatches the next member; a repeated DELETE is job_finished', async () => {
    const [a, b] = [uid('a'), uid('b')];
    await group(1, [a, b]);
    const [ma] = await w.receive('q');
    const running = (await w.work(ma!, 'none'))!;
    // Where the query runs, as the worker records it: a database the API cannot reach (port 1).
    await w.store.renewLease(running, Date.now() + 30_000, { db: 'pg', type: 'postgres', connectionId: 4242, tag: 'abc' });
    const out = await cancelJob(deps(), a);
    expect(out).toEqual({ job_id: a, status: 'CANCELLED', previous_status: 'STARTED' });
    expect(await w.store.get(a)).toMatchObject({ status: 'CANCELLED', released: true });
    expect(ids(await w.receive('q'))).toEqual([b]);
    await expect(cancelJob(deps(), a)).rejects.toMatchObject({ code: 'job_finished', statusCode: 409 });
  });
});

describe('2f: DELETE /groups can be repeated after a partial failure', () => {
  it('a second DELETE cancels what the first left; the sweeper cancels held members of a cancelled group', async () => {
    const [a, b, c] = [uid('a'), uid('b'), uid('c')];
    const g = await group(1, [a, b, c]);
    await w.receive('q');
    // b's cancel keeps failing (conflicts beyond the retries): the first DELETE fails half-way.
    w.ddbFaults.add({ command: 'UpdateItemCommand', match: (i) => JSON.stringify(i).includes(`"job#${b}"`), times: 20, error: () => awsError('TransactionConflictException') });
    await expect(cancelGroup(deps(), g)).rejects.toThrow();
    w.ddbFaults.clear();
    expect((await w.store.get(b))?.status).toBe('PENDING');
    const again = await cancelGroup(deps(), g);
    expect(again).toMatchObject({ status: 'CANCELLED' });
    for (const id of [a, b, c]) expect((await w.store.get(id))?.status).toBe('CANCELLED');
    await expect(cancelGroup(deps(), g)).rejects.toMatchObject({ code: 'group_finished', statusCode: 409 });
  });
});

describe('2g: two POST /groups with one ID at once', () => {
  it('one is recorded, the other is group_active (409), never a 500, also when their transactions conflict', async () => {
    const g = uid('g');
    const body = (n: number) => ({ group_id: g, concurrency: 1, jobs: [{ task: 't', job_id: `${g}-${n}`, args: ['1'] }] });
    w.ddbFaults.add({ command: 'TransactWriteItemsCommand', match: touchesHeader(g), times: 1, error: transactionConflict });
    const out = await Promise.allSettled([submitGroup(deps(), body(1)), submitGroup(deps(), body(2))]);
    const ok = out.filter((r) => r.status === 'fulfilled');
    const refused = out.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(GroupActiveError);
    expect(refused[0]).toMatchObject({ code: 'group_active', statusCode: 409 });
    // The refused one's member, written before its group, is taken back.
    const loser = out[0]!.status === 'rejected' ? 1 : 2;
    expect(await w.store.get(`${g}-${loser}`)).toBeUndefined();
    expect(await w.store.get(`${g}-${3 - loser}`)).toMatchObject({ status: 'PENDING', group_id: g });
  });
});
