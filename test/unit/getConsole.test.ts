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

  it('serves built assets with their type, cached for good (their names carry a content hash)', async () => {
    const js = await get('assets/index-abc.js');
    expect(js).toMatchObject({ statusCode: 200, body: 'console.log(1)' });
    expect(js.headers).toMatchObject({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable' });
    const png = await get('assets/logo.png');
    expect(png).toMatchObject({ isBase64Encoded: true, body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]).toString('base64') });
  });

  it('never serves a file outside the bundle', async () => {
    for (const p of ['../secret.txt', '..%2Fsecret.txt', 'assets/../../secret.txt', '%E0%A4%A', '/etc/passwd', 'constructor', '__proto__']) {
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
