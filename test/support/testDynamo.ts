import { randomBytes } from 'node:crypto';
import { startDynamo, type LocalDynamo } from '../../scripts/stack/startDynamo.js';

/**
 * The DynamoDB Local of a test file: the run's shared one (test/support/runServices.ts),
 * whose stop() leaves it running, or, outside vitest's global setup, one of its own.
 * On the shared one, a file's tables must have names of their own: `uniqueTable`.
 */
export async function testDynamo(): Promise<LocalDynamo> {
  const port = Number(process.env.SQL_JOBBER_TEST_DYNAMODB);
  if (!port) return startDynamo();
  return { endpoint: `http://127.0.0.1:${port}`, port, stop: async () => undefined, exited: new Promise<string>(() => undefined) };
}

/** `base` with a suffix of this process and a random part: a table name no other test file uses. */
export function uniqueTable(base: string): string {
  return `${base}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
