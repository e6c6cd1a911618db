/**
 * Completion events end to end: the local stack with `[notify]` (a webhook to a
 * local receiver, SNS on fauxqs with a subscribed queue), real PostgreSQL. Every
 * job and group that ends is pushed, signed; a refused delivery is retried; one
 * refused for `retry_for` ends in the notify dead-letter queue.
 */
import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../lib/notify/signWebhook.js';
import { localClientConfig } from '../../scripts/stack/awsLocal.js';
import { sleep } from '../support/until.js';
import { queueUrl } from '../../scripts/stack/startSqs.js';
import { startE2eStack, type E2eStack } from '../support/e2eStack.js';
import { e2eConfig, queue } from '../support/configToml.js';
import { stackClients, type StackClients } from '../support/stackClients.js';
import { startWebhookReceiver } from '../support/webhookReceiver.js';

const SECRET = 'e2e-webhook-secret';
const TASKS = `
-- name: series
-- db: pg
-- results: pg_res
-- queue: fast
SELECT g AS n FROM generate_series(1, $1::int) g;

-- name: sleepy
-- db: pg
-- results: pg_res
-- queue: fast
SELECT pg_sleep($1::float) AS slept;
`;

let world: E2eStack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let clients: StackClients;
/** The queue subscribed to the events topic. */
let snsQueue: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  world = await startE2eStack({
    prefix: 'notify',
    tasks: TASKS,
    config: (dbs) =>
      e2eConfig(dbs, {
        db: { pg: 'pg' },
        results: { pg_res: 'pg' },
        queues: { fast: queue(3) },
        notify: { webhooks: [`${receiver.url}/hooks/sqljobber`], webhook_secret: SECRET, sns: true, retry_for: '12s' },
      }),
  });
  clients = stackClients(world.stack);
  const name = 'notify-test-subscriber';
  await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  snsQueue = queueUrl(world.stack.sqsEndpoint, name);
  const sns = new SNSClient(localClientConfig(world.stack.sqsEndpoint));
  await sns.send(
    new SubscribeCommand({
      TopicArn: world.stack.notify!.topicArn!,
      Protocol: 'sqs',
      Endpoint: `arn:aws:sqs:us-east-1:000000000000:${name}`,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );
  sns.destroy();
}, 180_000);

afterAll(async () => {
  clients?.destroy();
  await world?.stop();
  await receiver?.stop();
});

/** The webhook deliveries of one job's events (or a group's), waiting until `count` arrived. */
async function hooksFor(key: { job?: string; group?: string }, count = 1, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  const mine = () => receiver.events().filter(({ event }) => (key.job ? event.job?.job_id === key.job : event.group?.group_id === key.group));
  while (mine().length < count && Date.now() < deadline) await sleep(100);
  return mine();
}

describe('webhooks', () => {
  it('POSTs job.finished with the job as GET /jobs/{id} answers it, signed with the secret', async () => {
    expect((await world.api.post('/tasks/series/jobs', { job_id: 'nt-ok', args: ['4'] })).status).toBe(200);
    const [got] = await hooksFor({ job: 'nt-ok' });
    expect(got, 'a webhook delivery').toBeDefined();
    const { hook, event } = got!;
    expect(hook.path).toBe('/hooks/sqljobber');
    expect(hook.headers['content-type']).toBe('application/json');
    expect(Object.keys(event).sort()).toEqual(['id', 'job', 'time', 'type']);
    expect(event.type).toBe('job.finished');
    expect(hook.headers['x-sql-jobber-event-id']).toBe(event.id);
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const status = (await world.api.get('/jobs/nt-ok')).body.data;
    expect(event.job).toEqual(status);
    expect(event.job).toMatchObject({ status: 'SUCCESS', count: 4 });
    expect(event.time).toBe(status.finished_at);

    const signature = String(hook.headers['x-sql-jobber-signature']);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, hook.body, signature)).toBe(true);
    expect(verifyWebhook('another-secret', hook.body, signature)).toBe(false);
    expect(verifyWebhook(SECRET, hook.body.replace('"SUCCESS"', '"FAILURE"'), signature)).toBe(false);
  });

  it('retries a refused delivery within 10 s, with the same event and body', async () => {
    let refusals = 0;
    receiver.setAnswer(({ body }) => (JSON.parse(body).job?.job_id === 'nt-refused' && refusals++ === 0 ? 503 : 200));
    try {
      expect((await world.api.post('/tasks/series/jobs', { job_id: 'nt-refused', args: ['2'] })).status).toBe(200);
      const hooks = await hooksFor({ job: 'nt-refused' }, 2);
      expect(hooks.map((h) => h.hook.answered)).toEqual([503, 200]);
      const [first, second] = hooks as [(typeof hooks)[0], (typeof hooks)[0]];
      expect(second.hook.body).toBe(first.hook.body);
      expect(second.hook.headers['x-sql-jobber-event-id']).toBe(first.hook.headers['x-sql-jobber-event-id']);
      expect(verifyWebhook(SECRET, second.hook.body, String(second.hook.headers['x-sql-jobber-signature']))).toBe(true);
      const gap = second.hook.at - first.hook.at;
      console.log(`[notify] retry ${gap} ms after the refusal`);
      expect(gap).toBeLessThan(10_000);
      // Delivered: no further attempt (a third would have come 30 s after the second refusal at the earliest; see the last test).
      expect((await hooksFor({ job: 'nt-refused' }, 3, 0)).length).toBe(2);
    } finally {
      receiver.setAnswer(() => 200);
    }
  });

  it('dead-letters a delivery refused for retry_for, saying why', async () => {
    receiver.setAnswer(({ body }) => (JSON.parse(body).job?.job_id === 'nt-dead' ? 500 : 200));
    try {
      expect((await world.api.post('/tasks/series/jobs', { job_id: 'nt-dead', args: ['1'] })).status).toBe(200);
      const letters = await clients.drain(world.stack.notify!.deadLetterUrl, 30_000, (bodies) => bodies.some((b) => b.includes('nt-dead')));
      const letter = letters.map((b) => JSON.parse(b)).find((m) => m.body.includes('nt-dead'));
      expect(letter).toMatchObject({ kind: 'webhook', webhook: 0, last_error: 'HTTP 500' });
      expect(letter.attempt).toBeGreaterThanOrEqual(2);
      const hooks = await hooksFor({ job: 'nt-dead' }, letter.attempt, 0);
      expect(hooks.length).toBe(letter.attempt);
      expect(hooks.every((h) => h.hook.answered === 500)).toBe(true);
      expect(JSON.parse(letter.body).id).toBe(letter.event_id);
    } finally {
      receiver.setAnswer(() => 200);
    }
  });

  it('pushes FAILURE and CANCELLED too', async () => {
    expect((await world.api.post('/tasks/series/jobs', { job_id: 'nt-fail', args: ['not a number'] })).status).toBe(200);
    expect((await world.api.post('/tasks/sleepy/jobs', { job_id: 'nt-cancel', args: ['30'] })).status).toBe(200);
    await world.api.waitFor('nt-cancel', ['STARTED']);
    expect((await world.api.del('/jobs/nt-cancel')).status).toBe(200);
    const [failed] = await hooksFor({ job: 'nt-fail' });
    const [cancelled] = await hooksFor({ job: 'nt-cancel' });
    expect(failed?.event.job).toMatchObject({ status: 'FAILURE' });
    expect(cancelled?.event.job).toMatchObject({ status: 'CANCELLED' });
    // A refused cancel (already final) announces nothing new.
    expect((await world.api.del('/jobs/nt-cancel')).status).toBe(409);
    await sleep(2_000);
    expect((await hooksFor({ job: 'nt-cancel' }, 2, 0)).length).toBe(1);
  });

  it('POSTs group.finished once every member ended: a summary of the group, without its members', async () => {
    const res = await world.api.post('/groups', {
      group_id: 'nt-group',
      concurrency: 1,
      jobs: [
        { task: 'series', job_id: 'nt-g1', args: ['1'] },
        { task: 'series', job_id: 'nt-g2', args: ['2'] },
      ],
    });
    expect(res.status).toBe(200);
    const [got] = await hooksFor({ group: 'nt-group' });
    expect(got, 'a group.finished delivery').toBeDefined();
    expect(got!.event.type).toBe('group.finished');
    // A summary: the group as GET /groups/{id} answers it, without its members, and where to read them.
    const { jobs, ...summary } = (await world.api.get('/groups/nt-group')).body.data;
    expect(jobs).toHaveLength(2);
    expect(got!.event.group).toEqual({ ...summary, status_url: '/groups/nt-group' });
    expect(got!.event.group).toMatchObject({ status: 'SUCCESS', counts: { SUCCESS: 2 } });
    expect((await hooksFor({ job: 'nt-g1' })).length).toBe(1);
    expect((await hooksFor({ job: 'nt-g2' })).length).toBe(1);
  });
});

describe('SNS', () => {
  it('publishes the same events to the topic (a subscribed queue receives them)', async () => {
    expect((await world.api.post('/tasks/series/jobs', { job_id: 'nt-sns', args: ['3'] })).status).toBe(200);
    const bodies = await clients.drain(snsQueue, 20_000, (b) => b.some((x) => x.includes('"nt-sns"')));
    const event = bodies.map((b) => JSON.parse(b)).find((e) => e.job?.job_id === 'nt-sns');
    expect(event).toMatchObject({ type: 'job.finished', job: { job_id: 'nt-sns', status: 'SUCCESS', count: 3 } });
    const [hook] = await hooksFor({ job: 'nt-sns' });
    expect(hook?.event).toEqual(event);
  });
});

describe('the notify queue', () => {
  it('is empty once every event is delivered', async () => {
    const out = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: world.stack.notify!.queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(Number(out.Attributes?.ApproximateNumberOfMessages ?? 0)).toBe(0);
  });
});
