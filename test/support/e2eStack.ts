import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../scripts/localStack.js';
import { freePort } from '../../scripts/stack/freePort.js';
import { apiClient } from './api.js';
import { createTestDatabases, type TestDatabases } from './testDatabases.js';

export interface E2eStack {
  stack: LocalStack;
  dbs: TestDatabases;
  api: ReturnType<typeof apiClient>;
  dir: string;
  stop(): Promise<void>;
}

/** The test run's DynamoDB Local and a stage no other stack of the run has, or nothing outside vitest's global setup. */
function sharedDynamo(): Partial<LocalStackOptions> {
  const port = Number(process.env.SQL_JOBBER_TEST_DYNAMODB);
  if (!port) return {};
  return { dynamodbEndpoint: `http://127.0.0.1:${port}`, stage: `s${randomBytes(4).readUInt32BE(0).toString(36).padStart(7, '0').slice(-5)}` };
}

/**
 * One end-to-end test file's world: fresh databases on the real servers, a task
 * directory and config.toml of its own, and the local stack on a free port.
 * `config` and `setup` receive the databases (for DSNs and fixtures).
 */
export async function startE2eStack(opts: {
  prefix: string;
  tasks: string;
  config: (dbs: TestDatabases) => string;
  setup?: (dbs: TestDatabases) => Promise<void>;
  stack?: Partial<LocalStackOptions>;
}): Promise<E2eStack> {
  const dbs = await createTestDatabases(`sqljobber_${opts.prefix}`);
  const dir = mkdtempSync(path.join(tmpdir(), `sqljobber-${opts.prefix}-`));
  chmodSync(dir, 0o755);
  const stop = async () => {
    await stack?.stop();
    await dbs.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  let stack: LocalStack | undefined;
  try {
    await opts.setup?.(dbs);
    writeFileSync(path.join(dir, 'tasks.sql'), opts.tasks);
    writeFileSync(path.join(dir, 'config.toml'), opts.config(dbs));
    stack = await startLocalStack({
      configPath: path.join(dir, 'config.toml'),
      sqlDir: dir,
      dataDir: path.join(dir, 'state'),
      port: await freePort(),
      log: () => undefined,
      // On the run's shared DynamoDB Local (test/support/runServices.ts), a table of this
      // stack's own: the table's name follows the stage.
      ...sharedDynamo(),
      ...opts.stack,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { stack, dbs, api: apiClient(stack.url), dir, stop };
}
