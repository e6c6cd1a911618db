/**
 * The OTLP export as the functions use it: spans posted to a local OTLP/HTTP
 * receiver on flush, parents carried by traceparent; a receiver that is down costs
 * the spans, not the flush; no endpoint, no tracing.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadTracing } from '../../lib/observability/loadTracing.js';
import { NO_TRACING } from '../../lib/observability/tracing.js';

const posts: { path: string; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    posts.push({ path: req.url ?? '', body });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

it('without otlp_endpoint, tracing is off: no spans, no traceparent', async () => {
  const tracing = await loadTracing({}, 'svc');
  expect(tracing).toBe(NO_TRACING);
  expect(tracing.start('submit', {}).traceparent).toBe('');
});

it('exports the spans to the endpoint on flush, each child under its parent', async () => {
  const tracing = await loadTracing({ otlpEndpoint: url }, 'sql-jobber-unit');
  expect(tracing.enabled).toBe(true);
  const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const submit = tracing.start('submit', { 'sqljobber.queue': 'q' }, { parent, kind: 'server' });
  expect(submit.traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
  tracing.start('queue wait', {}, { parent: submit.traceparent, startMs: Date.now() - 50 }).end();
  submit.end(new Error('boom'));
  expect(posts).toHaveLength(0); // batched until the flush
  await tracing.flush();
  expect(posts.map((p) => p.path)).toEqual(['/v1/traces']);
  const sent = JSON.parse(posts[0]!.body) as {
    resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string; spanId: string; parentSpanId?: string; status: { code?: number } }[] }[] }[];
  };
  const [resource] = sent.resourceSpans;
  expect(resource!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'sql-jobber-unit' } });
  const spans = resource!.scopeSpans.flatMap((s) => s.spans);
  const byName = Object.fromEntries(spans.map((s) => [s.name, s]));
  expect(Object.keys(byName).sort()).toEqual(['queue wait', 'submit']);
  expect(byName.submit!.parentSpanId).toBe('b7ad6b7169203331');
  expect(byName['queue wait']!.parentSpanId).toBe(byName.submit!.spanId);
  expect(byName.submit!.status.code).toBe(2); // ERROR
});

it('a receiver that is down costs the spans, never the flush', async () => {
  const down = createServer();
  await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
  const port = (down.address() as AddressInfo).port;
  await new Promise<void>((resolve) => down.close(() => resolve()));
  const tracing = await loadTracing({ otlpEndpoint: `http://127.0.0.1:${port}/v1/traces` }, 'svc');
  tracing.start('submit', {}).end();
  // Resolves (within the test's timeout: the SDK's own default would wait 30 s).
  await expect(tracing.flush()).resolves.toBeUndefined();
});
