/**
 * The console's file server: built files by exact path only (no way out of the
 * bundle), every other path under /ui is a page of the app (index.html), and an
 * unbuilt console says how to build it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBundle, makeHandler } from '../../handlers/http/getConsole.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-console-'));
mkdirSync(path.join(dir, 'dist/assets'), { recursive: true });
writeFileSync(path.join(dir, 'dist/index.html'), '<!doctype html><title>console</title>');
mkdirSync(path.join(dir, 'dist/api'));
writeFileSync(path.join(dir, 'dist/api/index.html'), '<!doctype html><title>api</title>');
writeFileSync(path.join(dir, 'dist/assets/index-abc.js'), 'console.log(1)');
writeFileSync(path.join(dir, 'dist/assets/logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
writeFileSync(path.join(dir, 'secret.txt'), 'outside the bundle');

const handler = makeHandler(() => loadBundle(path.join(dir, 'dist')));
const get = (proxy?: string) => handler({ pathParameters: proxy === undefined ? {} : { proxy } } as unknown as APIGatewayProxyEventV2);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GET /ui', () => {
  it('serves index.html at /ui and for every page of the app', async () => {
    for (const p of [undefined, 'jobs/x', 'groups/g-1', 'tasks']) {
      const res = await get(p);
      expect(res).toMatchObject({ statusCode: 200, body: '<!doctype html><title>console</title>', isBase64Encoded: false });
      expect(res.headers!['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers!['cache-control']).toBe('no-cache');
    }
  });

  it("sends the console's Content-Security-Policy (no framing) with every answer, the API reference's included", async () => {
    for (const p of [undefined, 'jobs/x', 'api', 'assets/index-abc.js', 'no/such/file']) {
      const res = await get(p);
      expect(res.headers!['content-security-policy'], p).toBe(
        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      );
      expect(res.headers!['x-frame-options'], p).toBe('DENY');
      expect(res.headers!['x-content-type-options'], p).toBe('nosniff');
    }
  });

  it('serves a directory\'s own page: /ui/api is the API reference, not the app', async () => {
    for (const p of ['api', 'api/', 'api/index.html']) {
      const res = await get(p);
      expect(res, p).toMatchObject({ statusCode: 200, body: '<!doctype html><title>api</title>' });
      expect(res.headers!['cache-control'], p).toBe('no-cache');
    }
    // A page of the app below it is still the app.
    expect((await get('api/x')).body).toBe('<!doctype html><title>console</title>');
  });

  it('serves built assets with their type, cached for good (their names carry a content hash)', async () => {
    const js = await get('assets/index-abc.js');
    expect(js).toMatchObject({ statusCode: 200, body: 'console.log(1)' });
    expect(js.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    const png = await get('assets/logo.png');
    expect(png).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString('base64') });
  });

  it('never serves a file outside the bundle', async () => {
    for (const p of ['..', '../', '../dist', 'assets/..', '../secret.txt', '..%2Fsecret.txt', 'assets/../../secret.txt', '%E0%A4%A', '/etc/passwd', 'constructor', '__proto__']) {
      const res = await get(p);
      expect(res.body, p).toBe('<!doctype html><title>console</title>');
    }
  });

  it('says how to build the console when it is not built', async () => {
    const res = await makeHandler(() => loadBundle(path.join(dir, 'missing')))({ pathParameters: {} } as unknown as APIGatewayProxyEventV2);
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build:console');
  });
});
