/**
 * Exports to S3 (lib/export) against real stores: a PostgreSQL source and results
 * database, DynamoDB Local and fauxqs's S3. A bounded version of the 5M-row run
 * (bench/export.ts has the full one): 20k rows into gzip CSV parts of 5,000, whose
 * manifest adds up to the job's count and whose gunzipped parts, downloaded with a
 * plain curl GET on their presigned URLs, concatenated, equal the CSV paged over
 * HTTP byte for byte. Then an export without a results table (JSON lines), and
 * expiry: after the TTL the sweeper has deleted every object.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runJob } from '../../../lib/lifecycle/runJob.js';
import { makeHandler as sweeper } from '../../../handlers/sweeper.js';
import type { ExportManifest } from '../../../lib/export/exportRows.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseConfig } from '../../../lib/config/loadConfig.js';
import { handleNotifyMessage, type NotifyDeps } from '../../../lib/notify/handleNotifyMessage.js';
import { NotifyQueue } from '../../../lib/notify/notifyQueue.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { ensureQueues } from '../../../scripts/stack/startSqs.js';
import { configToml, onePostgres, queue } from '../../support/configToml.js';
import { startWebhookReceiver } from '../../support/webhookReceiver.js';
import { startHandlerWorld, type HandlerWorld } from '../../support/handlerWorld.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { until } from '../../support/until.js';

const run = promisify(execFile);
const ROWS = 20_000;

let db: TestDatabase;
let world: HandlerWorld;
let pools: DbPools;

beforeAll(async () => {
  db = await createTestDatabase('postgres');
  const dsn = db.db().dsn;
  world = await startHandlerWorld({
    config: configToml({
      ...onePostgres(dsn),
      queues: { export_q: queue(1, 120) },
      export: { bucket: 'sqljobber-test-exports', prefix: 'reports/', url_ttl: '60s' },
    }),
    tasks: `
-- name: mixed
-- db: main
-- results: res
-- queue: export_q
SELECT g AS id, 'row "' || g || '", x' || CASE WHEN g % 1000 = 0 THEN E'\\nnext line' ELSE '' END AS label,
       (g * 1.5)::numeric(12,2) AS amount, timestamp '2024-01-01' + g * interval '1.5 second' AS at,
       g % 2 = 0 AS even, CASE WHEN g % 7 = 0 THEN NULL ELSE md5(g::text) END AS h,
       ARRAY[g, NULL, g + 1] AS arr, jsonb_build_object('g', g, 's', 'ñ😀') AS doc,
       CASE WHEN g % 500 = 0 THEN '=HYPERLINK("x")' ELSE '' END AS note
FROM generate_series(1, ${ROWS}) g ORDER BY g;

-- name: small
-- db: main
-- results: res
-- queue: export_q
-- export: jsonl
SELECT g AS id FROM generate_series(1, 1500) g ORDER BY g;
`,
  });
  pools = createDbPools();
}, 120_000);

afterAll(async () => {
  await pools?.end();
  await world?.stop();
  await db?.drop();
});

async function submitAndRun(task: string, body: Record<string, unknown>): Promise<string> {
  const submitted = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: task }, body: JSON.stringify(body) });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const jobId = (submitted.json?.data as { job_id: string }).job_id;
  const job = (await world.app.store.get(jobId))!;
  const outcome = await runJob({ ...world.app, pools, log: world.app.log }, { job_id: jobId, run_id: job.run_id, queue: job.queue, attempt: job.attempt }, 120_000);
  expect(outcome).toBe('success');
  return jobId;
}

const status = async (jobId: string) => (await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: jobId } })).json?.data as Record<string, unknown>;

interface Links {
  manifest: { key: string; url: string };
  parts: { key: string; url: string }[];
}
const links = async (jobId: string) => {
  const answer = await world.request('GET /jobs/{jobID}/export', { pathParameters: { jobID: jobId } });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json?.data as Links;
};

/** A plain curl GET: no credentials, no SDK. */
async function curl(url: string): Promise<Buffer> {
  const out = await run('curl', ['-sSf', url], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  return out.stdout;
}

/** The whole CSV document over HTTP: the first page's header, then every page's rows. */
async function csvOverHttp(jobId: string): Promise<string> {
  let doc = '';
  let cursor: string | undefined;
  for (let first = true; ; first = false) {
    const page = await world.request('GET /jobs/{jobID}/results', {
      pathParameters: { jobID: jobId },
      queryStringParameters: { format: 'csv', limit: '7000', ...(cursor ? { cursor } : {}) },
    });
    expect(page.statusCode, page.body).toBe(200);
    doc += first ? page.body : page.body.slice(page.body.indexOf('\r\n') + 2);
    cursor = page.headers['x-next-cursor'];
    if (!cursor) return doc;
  }
}

describe('export to S3', () => {
  it('PostgreSQL → gzip CSV: the manifest adds up to the count, and the parts downloaded by curl equal the CSV over HTTP byte for byte', async () => {
    const jobId = await submitAndRun('mixed', { export: { format: 'csv', compression: 'gzip', part_rows: 5000 } });
    const s = await status(jobId);
    expect(s).toMatchObject({ status: 'SUCCESS', count: ROWS, export: { state: 'SUCCESS', format: 'csv', compression: 'gzip', parts: 4, rows: ROWS } });
    const { manifest, parts } = await links(jobId);
    expect(manifest.key).toBe((s.export as { manifest: string }).manifest);
    const m = JSON.parse((await curl(manifest.url)).toString('utf8')) as ExportManifest;
    expect(m.parts.reduce((sum, p) => sum + p.rows, 0)).toBe(s.count);
    expect(m.parts.map((p) => p.rows)).toEqual([5000, 5000, 5000, 5000]);
    expect(m.columns.map((c) => c.type)).toEqual(['BIGINT', 'TEXT', 'DECIMAL', 'TIMESTAMP', 'BOOLEAN', 'TEXT', 'ARRAY', 'JSON', 'TEXT']);
    expect(m.columns[2]).toMatchObject({ precision: 12, scale: 2 });
    expect(parts.map((p) => p.key)).toEqual(m.parts.map((p) => p.key));
    const texts: string[] = [];
    for (const [i, part] of parts.entries()) {
      const bytes = await curl(part.url);
      // What the manifest says of each part is what was stored.
      expect(bytes.length).toBe(m.parts[i]!.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(m.parts[i]!.sha256);
      texts.push(gunzipSync(bytes).toString('utf8'));
    }
    const http = await csvOverHttp(jobId);
    expect(http.split('\r\n').length).toBeGreaterThan(ROWS);
    expect(texts.join('') === http).toBe(true);
  }, 60_000);

  it('without a results table ("results": false): the rows go only to the export, by the task\'s export tag', async () => {
    const jobId = await submitAndRun('small', { results: false });
    const s = await status(jobId);
    expect(s).toMatchObject({ status: 'SUCCESS', count: 1500, results_table: null, export: { state: 'SUCCESS', format: 'jsonl', parts: 1, rows: 1500 } });
    const { parts } = await links(jobId);
    const lines = gunzipSync(await curl(parts[0]!.url)).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1500);
    expect(JSON.parse(lines[1499]!)).toEqual({ id: '1500' });
    const read = await world.request('GET /jobs/{jobID}/results', { pathParameters: { jobID: jobId } });
    expect(read.statusCode).toBe(410);
    expect(read.json?.message).toContain('"results": false');
  }, 60_000);

  it('refuses a bad export with a 400 naming the field, and records nothing', async () => {
    for (const [body, field] of [
      [{ export: { format: 'xlsx' } }, 'export.format'],
      [{ export: { format: 'csv', compression: 'zstd' } }, 'export.compression'],
      [{ export: { format: 'csv', part_rows: 10 } }, 'export.part_rows'],
      [{ export: { format: 'csv', parts: 2 } }, 'export: unknown field'],
      [{ results: false }, 'results: false needs an "export"'],
      [{ export: { format: 'csv' }, max_age: 60 }, 'max_age'],
    ] as const) {
      const before = await world.itemCount();
      const answer = await world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'mixed' }, body: JSON.stringify(body) });
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json?.message).toContain(field);
      expect(await world.itemCount()).toBe(before);
    }
    const none = await world.request('GET /jobs/{jobID}/export', { pathParameters: { jobID: await submitAndRun('mixed', {}) } });
    expect(none.statusCode).toBe(404);
    expect(none.json?.code).toBe('export_not_found');
  }, 60_000);

  it('the completion event of a finished export carries a presigned URL of its manifest, which a plain curl downloads', async () => {
    const receiver = await startWebhookReceiver();
    const endpoint = world.app.settings.sqsEndpoint!;
    const sqs = new SQSClient(localClientConfig(endpoint));
    try {
      const jobId = await submitAndRun('small', {});
      const queues = await ensureQueues(endpoint, [{ name: 'export-notify-dlq' }, { name: 'export-notify' }]);
      const notify = parseConfig(`[notify]\nwebhooks = ["${receiver.url}/h"]\nwebhook_secret = "s"\n`, 'test', {}).notify;
      const deps: NotifyDeps = {
        ...world.app,
        config: { ...world.app.config, notify },
        notifyQueue: new NotifyQueue(sqs, queues['export-notify']!, queues['export-notify-dlq']!),
        sinks: {},
        webhookSecret: async () => 's',
      };
      const job = (await world.app.store.get(jobId))!;
      const announced = { kind: 'job', job_id: jobId, run_id: job.run_id, attempt: job.attempt, announced_at: Date.parse(job.finished_at!) } as const;
      expect(await handleNotifyMessage(deps, announced)).toBe('sent');
      const events = receiver.events();
      expect(events).toHaveLength(1);
      const exp = events[0]!.event.job.export;
      expect(exp).toMatchObject({ state: 'SUCCESS', format: 'jsonl', rows: 1500, manifest: job.export!.manifest, bucket: 'sqljobber-test-exports', links: `/jobs/${jobId}/export` });
      expect(Date.parse(exp.urls_expire_at)).toBeGreaterThan(Date.parse(events[0]!.event.time));
      const manifest = JSON.parse((await curl(exp.manifest_url)).toString('utf8')) as ExportManifest;
      expect(manifest).toMatchObject({ job_id: jobId, rows: 1500, format: 'jsonl' });
    } finally {
      sqs.destroy();
      await receiver.stop();
    }
  }, 60_000);

  it('DELETE ?purge=true deletes the export\'s parts and manifest with the job', async () => {
    const jobId = await submitAndRun('small', { export: { format: 'csv', compression: 'none', part_rows: 1000 } });
    const { manifest, parts } = await links(jobId);
    expect(parts).toHaveLength(2);
    const dir = manifest.key.slice(0, manifest.key.lastIndexOf('/') + 1);
    expect((await world.app.exportStore!.list(dir)).keys.sort()).toEqual([manifest.key, ...parts.map((p) => p.key)].sort());
    const purged = await world.request('DELETE /jobs/{jobID}', { pathParameters: { jobID: jobId }, queryStringParameters: { purge: 'true' } });
    expect(purged.statusCode, purged.body).toBe(200);
    expect(purged.json?.data).toMatchObject({ status: 'PURGED' });
    expect((await world.app.exportStore!.list(dir)).keys).toEqual([]);
    await expect(curl(parts[0]!.url)).rejects.toThrow();
  }, 60_000);

  it('an object bigger than S3\'s smallest part goes up in 5 MB parts and arrives whole; an aborted one leaves nothing', async () => {
    const store = world.app.exportStore!;
    // Incompressible bytes: 2 full parts and a last one of 1.5 MB, in writes that straddle the part edges.
    const bytes = Buffer.alloc(11.5 * 1024 * 1024);
    for (let at = 0; at < bytes.length; at += 32) createHash('sha256').update(String(at)).digest().copy(bytes, at);
    const upload = await store.upload('reports/test/big.bin', 'application/octet-stream');
    for (let at = 0; at < bytes.length; at += 700_000) {
      if (!upload.stream.write(bytes.subarray(at, at + 700_000))) await new Promise((resolve) => upload.stream.once('drain', resolve));
    }
    upload.stream.end();
    const object = await upload.done;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(object).toEqual({ bytes: bytes.length, sha256 });
    const got = await curl(await store.presign('reports/test/big.bin', 60));
    expect(createHash('sha256').update(got).digest('hex')).toBe(sha256);

    const aborted = await store.upload('reports/test/aborted.bin', 'application/octet-stream');
    aborted.stream.write(bytes.subarray(0, 6 * 1024 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await aborted.abort();
    await expect(aborted.done).rejects.toThrow('aborted');
    expect((await store.list('reports/test/')).keys).toEqual(['reports/test/big.bin']);
    await store.delete(['reports/test/big.bin']);
  }, 60_000);

  it('after the TTL, the sweeper has deleted the parts and the manifest', async () => {
    const jobId = await submitAndRun('small', { ttl: 4, export: { format: 'parquet', part_rows: 1000 } });
    const { manifest, parts } = await links(jobId);
    expect(parts).toHaveLength(2);
    expect((await curl(parts[1]!.url)).subarray(0, 4).toString()).toBe('PAR1');
    const sweep = sweeper(() => world.app, () => pools);
    await until('the sweeper to expire the export', async () => {
      const out = await sweep();
      return 'expired' in out.exports && out.exports.expired >= 1;
    }, { timeoutMs: 30_000, everyMs: 500 });
    const listed = await world.app.exportStore!.list(manifest.key.slice(0, manifest.key.lastIndexOf('/') + 1));
    expect(listed.keys).toEqual([]);
    await expect(curl(manifest.url)).rejects.toThrow();
  }, 60_000);
});
