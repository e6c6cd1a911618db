/**
 * What serverless.yml gets from serverless/service.ts for a local stack. Under
 * serverless offline, serverless-esbuild watches the service's and every function's
 * package patterns and, on any change there, terminates every function, invocations
 * in flight included; each console build (npm start, npm test) rewrote the console
 * function's `console/dist/**` under every running local stack.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serviceParts } from '../../serverless/service.js';
import { CONSOLE_FUNCTION } from '../../lib/deploy/serviceDefinition.js';
import { scratchDir } from '../support/scratchDir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const names = { service: 'sql-jobber', stage: 'local' };
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

function localParts(env: Record<string, string>) {
  const dir = scratchDir('local-service-');
  writeFileSync(path.join(dir, 'config.toml'), '[db.main]\ntype = "postgres"\ndsn = "postgres://postgres@127.0.0.1:5432/postgres"\n\n[results.res]\ntype = "postgres"\ndsn = "postgres://postgres@127.0.0.1:5432/postgres"\n');
  writeFileSync(path.join(dir, 'tasks.sql'), '-- name: one\n-- db: main\nSELECT 1 AS one;\n');
  Object.assign(process.env, {
    SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'),
    SQL_JOBBER_SQL_DIR: dir,
    SQL_JOBBER_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1',
    SQL_JOBBER_SQS_ENDPOINT: 'http://127.0.0.1:2',
    ...env,
  });
  return serviceParts(names, ROOT);
}

type Fn = { package?: { patterns?: string[] }; skipEsbuild?: boolean };

describe('the local service definition', () => {
  it('gives serverless-esbuild no package pattern to watch: neither the service nor any function has one', () => {
    const parts = localParts({});
    const fns = parts.functions as Record<string, Fn>;
    expect(Object.keys(fns)).toContain(CONSOLE_FUNCTION);
    expect(parts.packagePatterns).toEqual([]);
    for (const [name, fn] of Object.entries(fns)) expect(fn.package, name).toBeUndefined();
    for (const fn of Object.values(fns)) expect(fn.skipEsbuild).toBeUndefined();
  });

  it('also with the test kit\'s prebuilt bundles, which every function then skips building', () => {
    const fns = localParts({ SQL_JOBBER_PREBUILT_BUNDLES: '/tmp/bundles' }).functions as Record<string, Fn>;
    for (const [name, fn] of Object.entries(fns)) {
      expect(fn.package, name).toBeUndefined();
      expect(fn.skipEsbuild, name).toBe(true);
    }
  });
});
