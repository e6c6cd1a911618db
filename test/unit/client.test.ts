/**
 * The typed client's generated parts (client/openapi.json, client/src/schema.ts)
 * match what the current routes and schemas generate: a route or schema changed
 * without `npm run generate:client` fails here. Its errors carry the service's
 * stable code, typed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createSqlJobberClient, type ErrorCode, SqlJobberApiError } from '../../client/src/index.js';
import { errorAnswer } from '../../handlers/http/httpRoute.js';
import type { WireErrorCode } from '../../lib/errorCodes.js';
import { JobActiveError, JobNotFoundError } from '../../lib/errors.js';
import { generatedClientFiles } from '../../scripts/generateClient.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the typed client', () => {
  it('is generated from the current OpenAPI document (npm run generate:client)', async () => {
    const files = await generatedClientFiles();
    expect(Object.keys(files).sort()).toEqual(['client/openapi.json', 'client/src/schema.ts', 'client/src/tasks.ts']);
    for (const [file, text] of Object.entries(files)) expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toBe(text);
  });

  it("types submit(task, args) from the task files' declarations: tsc accepts the right args and rejects wrong ones", async () => {
    // test/fixtures/clientTypes/submit.ts marks each wrong call with @ts-expect-error: a call that compiled would fail tsc too.
    const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
    const out = await promisify(execFile)(process.execPath, [tsc, '-p', 'test/fixtures/clientTypes/tsconfig.json'], { cwd: ROOT }).then(
      () => '',
      (e: { stdout: string }) => e.stdout,
    );
    expect(out).toBe('');
  }, 60_000);
});

describe("the typed client's errors", () => {
  /** A fetch that answers what the service's one error mapping (errorAnswer) makes of `err`. */
  const answering = (err: unknown): typeof fetch => async () => {
    const a = errorAnswer(err, () => ({ error() {} }));
    return new Response(String(a.body), { status: a.statusCode, headers: a.headers as Record<string, string> });
  };

  it.each([
    [new JobActiveError('j1', 'STARTED'), 409, 'job_active', { job_id: 'j1', status: 'STARTED' }],
    [new JobNotFoundError('j1'), 404, 'job_not_found', null],
    [new Error('a fault of ours'), 500, 'internal', null],
  ] as const)('carry the answer\'s stable code (%s)', async (err, status, code, data) => {
    const client = createSqlJobberClient({ baseUrl: 'http://api.example', fetch: answering(err) });
    const thrown = await client.job('j1').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(SqlJobberApiError);
    expect(thrown).toMatchObject({ status, code, data });
    expectTypeOf((thrown as SqlJobberApiError).code).toEqualTypeOf<ErrorCode | 'unknown'>();
  });

  it("knows every code the service can answer, and says `unknown` of an answer that is not the service's", async () => {
    expectTypeOf<ErrorCode>().toEqualTypeOf<WireErrorCode>();
    const proxy: typeof fetch = async () => new Response('{"message":"Service Unavailable"}', { status: 503, headers: { 'content-type': 'application/json' } });
    const thrown = await createSqlJobberClient({ baseUrl: 'http://api.example', fetch: proxy }).tasks().catch((e: unknown) => e);
    expect(thrown).toMatchObject({ status: 503, code: 'unknown', message: 'Service Unavailable' });
  });

  it.each([
    ['an empty body', ''],
    ['a body without data', '{"status":"success"}'],
    ['a body that is not an object', '"ok"'],
  ])('throws on a 200 with %s, never answers undefined', async (_what, body) => {
    const proxy: typeof fetch = async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    const thrown = await createSqlJobberClient({ baseUrl: 'http://api.example', fetch: proxy }).job('j1').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(SqlJobberApiError);
    expect(thrown).toMatchObject({ status: 200, code: 'unknown', message: 'HTTP 200: the answer holds no "data"' });
  });
});
