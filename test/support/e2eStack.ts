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
      ...opts.stack,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { stack, dbs, api: apiClient(stack.url), dir, stop };
}
