/**
 * A waiting job's place in line, through GET /jobs/{id} against DynamoDB Local: five
 * jobs waiting behind a running one are 1..5, and each falls by exactly one as a job
 * ahead of it starts.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import { sleep } from '../../support/until.js';

let world: HandlerWorld;

beforeAll(async () => {
  world = await startHandlerWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

it('five waiting jobs behind a running one report positions that fall by one as each job ahead starts', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const out = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'no_args' }, body: JSON.stringify({ job_id: `line-${i}` }) });
    expect(out.statusCode).toBe(200);
    ids.push(`line-${i}`);
    // created_at is to the millisecond: each job a moment after the last
    await sleep(5);
  }
  const start = async (jobId: string) => {
    const job = (await world.app.store.get(jobId))!;
    expect(await world.app.store.claim(job, Date.now() + 30_000)).toBeDefined();
  };
  const positions = async () =>
    Promise.all(
      ids.map(async (jobId) => {
        const data = (await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: jobId } })).json?.data as { queue_position: number | null; status: string };
        return data.queue_position;
      }),
    );
  expect(await positions()).toEqual([1, 2, 3, 4, 5, 6]);

  await start('line-0');
  expect(await positions()).toEqual([null, 1, 2, 3, 4, 5]);
  for (let ahead = 1; ahead < 6; ahead++) {
    await start(`line-${ahead}`);
    const expected = ids.map((_, i) => (i <= ahead ? null : i - ahead));
    expect(await positions()).toEqual(expected);
  }
});
