import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { prebuildBundles } from '../../scripts/stack/prebuildBundles.js';
import { startDynamo } from '../../scripts/stack/startDynamo.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * vitest's global setup: what every test file can share, started once per run.
 *
 * - Every function's bundle, built once: each local stack a test starts runs them
 *   ($SQL_JOBBER_TEST_BUNDLES, read by scripts/localStack.ts) instead of building its
 *   own, which was most of a stack's start (about 25 of 30 s on a 2-core machine).
 *   Inside the service directory, as serverless offline wants.
 * - One DynamoDB Local ($SQL_JOBBER_TEST_DYNAMODB, read by test/support/testDynamo.ts):
 *   each in-process world makes its own tables on it, under names of its own,
 *   instead of starting a JVM of its own (seconds of CPU each, on 2 cores). Local
 *   stacks (serverless offline) still start their own, beside offline's boot: on
 *   the shared one, two runs of e2e stacks each saw a function wait out its 29 s
 *   timeout (cause not found; a table deleted at a stack's stop is suspected).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const parent = path.join(ROOT, '.sqljobber');
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, 'test-bundles-'));
  const [dynamo] = await Promise.all([startDynamo(), prebuildBundles(dir)]);
  process.env.SQL_JOBBER_TEST_BUNDLES = dir;
  process.env.SQL_JOBBER_TEST_DYNAMODB = `${dynamo.port}`;
  return async () => {
    rmSync(dir, { recursive: true, force: true });
    await dynamo.stop();
  };
}
