/**
 * What the functions tell about jobs, wired as in Lambda (the submit and cancel
 * routes, the worker and the notify function) against DynamoDB Local, fauxqs and
 * a real PostgreSQL:
 * - the EMF lines they print for a known set of jobs, read from stdout: one job
 *   succeeds, one reuses its result, one fails once (retried) then for good, one is
 *   cancelled while it waits;
 * - one job's trace from its POST to its webhook delivery, with an in-memory span
 *   exporter in place of OTLP (the traceparent travels in real SQS message attributes).
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeHandler as notify } from '../../../handlers/notify.js';
import { makeHandler as worker } from '../../../handlers/worker.js';
import { queueUrl } from '../../../lib/app.js';
import { createAwsClients } from '../../../lib/awsClients.js';
import { NOTIFY_QUEUE } from '../../../lib/config/notifyConfig.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { createEventSinks } from '../../../lib/notify/eventSinks.js';
import { createJobMetrics } from '../../../lib/observability/jobMetrics.js';
import { createOtelTracing } from '../../../lib/observability/otelTracing.js';
import { NO_TRACING, SPAN_ATTRIBUTES } from '../../../lib/observability/tracing.js';
import { toSqsEvent } from '../../../scripts/stack/sqsBridge.js';
import { ensureQueues } from '../../../scripts/stack/startSqs.js';
import { configToml, onePostgres, queue } from '../../support/configToml.js';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { startWebhookReceiver } from '../../support/webhookReceiver.js';

const SERVICE = 'sql-jobber-emf';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let db: TestDatabase;
let world: HandlerWorld;
let pools: DbPools;
let lines: string[] = [];
let sqs: SQSClient;
let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
const exporter = new InMemorySpanExporter();
let restore: () => void = () => {};

beforeAll(async () => {
  [db, hooks] = await Promise.all([createTestDatabase('postgres'), startWebhookReceiver()]);
  const dsn = db.db().dsn;
  world = await startHandlerWorld({
    config: configToml({
      ...onePostgres(dsn),
      queues: { emf_q: queue(2, 60), trace_q: queue(2, 60), adm_q: queue(2, 60, { admission: true }) },
      notify: { webhooks: [hooks.url], webhook_secret: 'trace-secret' },
    }),
    tasks: `
-- name: five
-- db: main
-- results: res
-- queue: emf_q
SELECT g AS n FROM generate_series(1, 5) g;

-- name: broken
-- db: main
-- results: res
-- queue: emf_q
SELECT 1 / 0 AS never;

-- name: admitted_squares
-- db: main
-- results: res
-- queue: adm_q
SELECT g AS n FROM generate_series(1, 3) g;

-- name: squares
-- db: main
-- results: res
-- queue: trace_q
-- index: n
SELECT g AS n, g * g AS square FROM generate_series(1, 50) g;
`,
  });
  world.app.metrics = createJobMetrics(SERVICE);
  const notifyQueue = world.app.settings.queueNamePrefix + NOTIFY_QUEUE;
  await ensureQueues(world.app.settings.sqsEndpoint!, [{ name: notifyQueue }, { name: `${notifyQueue}-dlq` }]);
  sqs = createAwsClients(world.app.settings).sqs;
  pools = createDbPools();
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  await pools?.end();
  await world?.stop();
  await hooks?.stop();
  await db?.drop();
});

beforeEach(() => {
  lines = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    // EMF lines are kept (not echoed); the rest (the functions' logs) goes on.
    if (!text.includes('"_aws"')) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    lines.push(...text.split('\n').filter((l) => l.includes('"_aws"')));
    return true;
  }) as typeof process.stdout.write;
  restore = () => (process.stdout.write = write);
});

afterEach(() => restore());

/** Each EMF document: its dimensions and its metrics' units and values. */
function documents() {
  return lines.map((l) => {
    const doc = JSON.parse(l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };
    const [directive] = doc._aws.CloudWatchMetrics;
    return {
      dimensions: Object.fromEntries(directive!.Dimensions[0]!.map((d) => [d, doc[d]])),
      metrics: Object.fromEntries(directive!.Metrics.map((m) => [m.Name, [m.Unit, doc[m.Name]]])),
      job_id: doc.job_id,
    };
  });
}

const submit = async (task: string, body: Record<string, unknown>) => {
  const out = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: task }, body: JSON.stringify(body) });
  expect(out.statusCode).toBe(200);
};

/** Delivers the job's message for its next attempt to the worker handler, as SQS would. */
const deliver = async (jobId: string) => {
  const job = (await world.app.store.get(jobId))!;
  const body = JSON.stringify({ job_id: jobId, run_id: job.run_id, queue: job.queue, attempt: job.attempt, ...(job.max_age ? { max_age: job.max_age } : {}) });
  const event = { Records: [{ messageId: `m-${jobId}-${job.attempt}`, receiptHandle: 'r', body, attributes: {}, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:1:q', awsRegion: 'us-east-1' }] } as unknown as SQSEvent;
  const out = (await worker(() => world.app, () => pools)(event, { getRemainingTimeInMillis: () => 60_000 } as Context)) as { batchItemFailures: unknown[] };
  expect(out.batchItemFailures).toEqual([]);
};

it('prints one EMF document per event, with the queue as its only dimension beside the service, and the right values', async () => {
  await submit('five', { job_id: 'emf-ok', max_age: 600 });
  await deliver('emf-ok');
  await submit('five', { job_id: 'emf-reuse', max_age: 600 });
  await deliver('emf-reuse');
  await submit('broken', { job_id: 'emf-bad', retries: 1 });
  await deliver('emf-bad');
  await deliver('emf-bad');
  await submit('five', { job_id: 'emf-cancel' });
  expect((await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: 'emf-cancel' } })).statusCode).toBe(200);

  const docs = documents();
  for (const d of docs) expect(d.dimensions).toEqual({ service: SERVICE, queue: 'emf_q' });
  const named = (name: string) => docs.filter((d) => name in d.metrics);
  const sum = (name: string) => named(name).reduce((a, d) => a + (d.metrics[name]![1] as number), 0);
  expect(sum('JobsSubmitted')).toBe(4);
  // emf-ok, emf-reuse, and emf-bad twice
  expect(sum('JobsStarted')).toBe(4);
  expect(named('JobQueueWait')).toHaveLength(4);
  for (const d of named('JobQueueWait')) expect(d.metrics.JobQueueWait).toEqual(['Milliseconds', expect.any(Number)]);
  expect(named('JobsSucceeded').map((d) => d.job_id)).toEqual(['emf-ok', 'emf-reuse']);
  expect(named('JobsRetried').map((d) => d.job_id)).toEqual(['emf-bad']);
  expect(named('JobsFailed').map((d) => d.job_id)).toEqual(['emf-bad']);
  expect(named('JobsCancelled').map((d) => d.job_id)).toEqual(['emf-cancel']);
  expect(named('ReuseHits').map((d) => d.job_id)).toEqual(['emf-reuse']);
  const ok = named('JobsSucceeded')[0]!.metrics;
  expect(ok.JobRows).toEqual(['Count', 5]);
  expect(ok.JobBytes).toEqual(['Bytes', expect.any(Number)]);
  expect(ok.JobBytes![1] as number).toBeGreaterThan(0);
  expect(ok.JobRunTime).toEqual(['Milliseconds', expect.any(Number)]);
});

/** A job's message on a queue, with its attributes, as the event source mapping hands it to a function (other messages stay). */
async function receive(url: string, jobId: string): Promise<SQSEvent> {
  for (let tries = 0; tries < 5; tries++) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    const mine = (out.Messages ?? []).filter((m) => (JSON.parse(m.Body ?? '{}') as { job_id?: string }).job_id === jobId);
    if (mine.length > 0) return toSqsEvent(url, mine);
  }
  throw new Error(`no message for ${jobId} on ${url}`);
}

const context = { getRemainingTimeInMillis: () => 60_000 } as Context;

describe('traces', () => {
    beforeAll(() => {
      world.app.tracing = createOtelTracing(new SimpleSpanProcessor(exporter), 'sql-jobber-trace-test');
    });
    afterAll(() => {
      world.app.tracing = NO_TRACING;
    });

  it("follows a job from its POST to its webhook delivery in one trace, under the caller's traceparent", async () => {
    const posted = await world.request('POST /tasks/{taskName}/jobs', {
      pathParameters: { taskName: 'squares' },
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      body: JSON.stringify({ job_id: 'traced-1' }),
    });
    expect(posted.statusCode).toBe(200);

    const jobs = await receive(queueUrl(world.app.settings, 'trace_q'), 'traced-1');
    expect(jobs.Records[0]!.messageAttributes.traceparent?.stringValue).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));
    expect(await worker(() => world.app, () => pools)(jobs, context)).toEqual({ batchItemFailures: [] });
    expect((await world.app.store.get('traced-1'))?.status).toBe('SUCCESS');

    const announcements = await receive(queueUrl(world.app.settings, NOTIFY_QUEUE), 'traced-1');
    const sinks = createEventSinks(world.app.settings, world.app.config.notify);
    expect(await notify(() => world.app, () => sinks, async () => 'trace-secret')(announcements, context)).toEqual({ batchItemFailures: [] });
    expect(hooks.received).toHaveLength(1);

    const spans = exporter.getFinishedSpans();
    const byName = (name: string): ReadableSpan => {
      const found = spans.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
    // One trace: the caller's.
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([CALLER_TRACE]));
    expect(spans.map((s) => s.name).sort()).toEqual(
      ['claim', 'index build and swap', 'notify delivery', 'queue wait', 'results write', 'run', 'source query', 'submit'].sort(),
    );
    const submit = byName('submit');
    const run = byName('run');
    expect(parentOf(submit)).toBe(CALLER_SPAN);
    expect(parentOf(byName('queue wait'))).toBe(submit.spanContext().spanId);
    expect(parentOf(run)).toBe(submit.spanContext().spanId);
    for (const name of ['claim', 'source query', 'results write', 'index build and swap']) expect(parentOf(byName(name)), name).toBe(run.spanContext().spanId);
    const delivery = byName('notify delivery');
    expect(parentOf(delivery)).toBe(run.spanContext().spanId);
    // The receiver can continue the trace: the POST carries the delivery's span.
    expect(hooks.received[0]!.headers.traceparent).toBe(`00-${CALLER_TRACE}-${delivery.spanContext().spanId}-01`);
    for (const s of spans) {
      expect(s.attributes[SPAN_ATTRIBUTES.queue], s.name).toBe('trace_q');
      expect(s.attributes[SPAN_ATTRIBUTES.task], s.name).toBe('squares');
    }
    expect(run.attributes[SPAN_ATTRIBUTES.rows]).toBe(50);
    expect(run.attributes[SPAN_ATTRIBUTES.outcome]).toBe('success');
    // The phases happen inside the run, in order: the query starts before the swap ends.
    const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
    expect(ms(byName('source query').startTime)).toBeLessThanOrEqual(ms(byName('index build and swap').startTime));
    expect(ms(byName('queue wait').startTime)).toBeLessThanOrEqual(ms(submit.endTime));
  });

  it("on a queue with admission, the message the admission sends carries the submit's span, and the run continues the caller's trace", async () => {
    exporter.reset();
    const posted = await world.request('POST /tasks/{taskName}/jobs', {
      pathParameters: { taskName: 'admitted_squares' },
      headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
      body: JSON.stringify({ job_id: 'traced-adm' }),
    });
    expect(posted.statusCode).toBe(200);
    const submitted = exporter.getFinishedSpans().find((x) => x.name === 'submit')!;
    const jobs = await receive(queueUrl(world.app.settings, 'adm_q'), 'traced-adm');
    expect(jobs.Records[0]!.messageAttributes.traceparent?.stringValue).toBe(`00-${CALLER_TRACE}-${submitted.spanContext().spanId}-01`);
    expect(await worker(() => world.app, () => pools)(jobs, context)).toEqual({ batchItemFailures: [] });
    expect((await world.app.store.get('traced-adm'))?.status).toBe('SUCCESS');
    const run = exporter.getFinishedSpans().find((x) => x.name === 'run')!;
    expect(run.spanContext().traceId).toBe(CALLER_TRACE);
    expect(run.parentSpanContext?.spanId).toBe(submitted.spanContext().spanId);
  });

  it('with no traceparent, a job starts a trace of its own; a refused request ends its submit span failed', async () => {
    exporter.reset();
    const bad = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'squares' }, body: JSON.stringify({ retries: 'many' }) });
    expect(bad.statusCode).toBe(400);
    const posted = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'squares' }, body: JSON.stringify({ job_id: 'traced-2' }) });
    expect(posted.statusCode).toBe(200);
    const [refused, submitted] = exporter.getFinishedSpans();
    expect(refused!.status.code).toBe(2); // ERROR
    expect(refused!.parentSpanContext).toBeUndefined();
    expect(submitted!.status.code).toBe(0); // UNSET: fine
    expect(submitted!.parentSpanContext).toBeUndefined();
    expect(submitted!.spanContext().traceId).not.toBe(CALLER_TRACE);
    const jobs = await receive(queueUrl(world.app.settings, 'trace_q'), 'traced-2');
    expect(jobs.Records[0]!.messageAttributes.traceparent?.stringValue).toBe(`00-${submitted!.spanContext().traceId}-${submitted!.spanContext().spanId}-01`);
  });
});

it('GET /queues/stats counts the jobs above per queue: finished, failed, run time and queue wait, and the one still waiting', async () => {
  const stats = await world.request('GET /queues/stats', { queryStringParameters: { window: '1h' } });
  expect(stats.statusCode, stats.body).toBe(200);
  const data = stats.json!.data as { bucket_seconds: number; jobs_read: number; truncated: boolean; queues: Record<string, (number | null)[] | string>[] };
  expect(data.bucket_seconds).toBe(60);
  expect(data.truncated).toBe(false);
  expect(data.jobs_read).toBe(7); // emf-ok, emf-reuse, emf-bad, emf-cancel, traced-1, traced-adm, traced-2
  const of = (queue: string) => data.queues.find((q) => q.queue === queue)! as Record<string, (number | null)[]>;
  const sum = (xs: (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
  const emf = of('emf_q');
  const trace = of('trace_q');
  expect(emf.t).toHaveLength(60);
  for (const key of ['finished', 'failed', 'failure_rate', 'run_p50_ms', 'run_p95_ms', 'wait_p50_ms', 'wait_p95_ms', 'waiting', 'running']) expect(emf[key], key).toHaveLength(60);
  // The cancelled job never finished in a worker: SUCCESS twice, FAILURE once.
  expect([sum(emf.finished!), sum(emf.failed!)]).toEqual([3, 1]);
  expect(sum(trace.finished!)).toBe(1);
  const last = (xs: (number | null)[]) => xs.at(-1);
  // traced-2 was submitted and never run: it waits now; nothing runs.
  expect([last(trace.waiting!), last(trace.running!), last(emf.waiting!), last(emf.running!)]).toEqual([1, 0, 0, 0]);
  const measured = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
  expect(measured(emf.run_p50_ms!).length).toBeGreaterThan(0);
  for (const x of [...measured(emf.run_p95_ms!), ...measured(emf.wait_p95_ms!)]) expect(x).toBeGreaterThanOrEqual(0);
  for (const [i, rate] of emf.failure_rate!.entries()) expect(rate).toBe(emf.finished![i] ? emf.failed![i]! / emf.finished![i]! : null);
  const one = await world.request('GET /queues/stats', { queryStringParameters: { window: '1d', queue: 'trace_q' } });
  expect((one.json!.data as { queues: { queue: string; t: number[] }[] }).queues.map((q) => [q.queue, q.t.length])).toEqual([['trace_q', 96]]);
  const bad = await world.request('GET /queues/stats', { queryStringParameters: { window: '2h' } });
  expect([bad.statusCode, bad.json?.message]).toEqual([400, 'window: expected "1h" or "1d"']);
});
