/**
 * The local stack runs each function in a worker thread of serverless offline. Its
 * runner (patched: patches/serverless-offline+*.patch) must answer every run and
 * outlive a thread that timed out or died: the pool keeps the function as IDLE
 * afterwards, so a dead thread would make every later call wait out the function's
 * timeout (a local stack answering 200 with a LambdaTimeoutError body).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { scratchDir } from '../../support/scratchDir.js';

interface Runner {
  run(event: unknown, context: unknown): Promise<unknown>;
  cleanup(): Promise<number>;
}
type RunnerClass = new (funOptions: Record<string, unknown>, env: Record<string, string>) => Runner;

// the package exports no package.json: its main is src/index.js
const offlineRoot = dirname(dirname(createRequire(import.meta.url).resolve('serverless-offline')));
const { default: WorkerThreadRunner } = (await import(
  pathToFileURL(join(offlineRoot, 'src/lambda/handler-runner/worker-thread-runner/WorkerThreadRunner.js')).href
)) as { default: RunnerClass };

const codeDir = scratchDir('offline-runner-');
writeFileSync(
  join(codeDir, 'fns.mjs'),
  `export async function fn(event) {
  if (event.do === 'hang') return new Promise(() => {});
  if (event.do === 'unsendable') return { answer: () => 1 };
  if (event.do === 'crash') {
    setTimeout(() => { throw new Error('crashed outside the handler'); }, 0);
    return new Promise(() => {});
  }
  return { ok: true, mark: process.env.MARK };
}
`,
);

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.cleanup()));
});

function runner(): Runner {
  const r = new WorkerThreadRunner(
    { codeDir, functionKey: 'fn', handler: 'fns.fn', servicePath: codeDir, timeout: 10_000 },
    { MARK: 'thread env' },
  );
  runners.push(r);
  return r;
}

const context = { awsRequestId: 'test', functionName: 'fn' };

/** The run's outcome, or 'no answer' when it has none within `ms` (a hang, not a timing check). */
async function outcome(run: Promise<unknown>, ms = 15_000): Promise<{ value?: unknown; error?: string } | 'no answer'> {
  let timer: NodeJS.Timeout | undefined;
  const none = new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), ms)));
  try {
    return await Promise.race([
      run.then(
        (value) => ({ value }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      ),
      none,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the local stack runs functions in worker threads that', () => {
  it('answer a run after an earlier run timed out and its thread was terminated', async () => {
    const r = runner();
    expect(await outcome(r.run({ do: 'ok' }, context))).toEqual({ value: { ok: true, mark: 'thread env' } });
    // what serverless offline does on a function timeout: give up the run, terminate the thread
    expect(await outcome(r.run({ do: 'hang' }, context), 300)).toBe('no answer');
    await r.cleanup();
    expect(await outcome(r.run({ do: 'ok' }, context))).toEqual({ value: { ok: true, mark: 'thread env' } });
  });

  it('answer a result that cannot be copied out of the thread with an error, and keep serving', async () => {
    const r = runner();
    const got = await outcome(r.run({ do: 'unsendable' }, context));
    expect(got).toEqual({ error: expect.stringContaining('cannot be sent') });
    expect(await outcome(r.run({ do: 'ok' }, context))).toEqual({ value: { ok: true, mark: 'thread env' } });
  });

  it('fail the run whose thread died of an uncaught error, and serve the next one on a new thread', async () => {
    const r = runner();
    expect(await outcome(r.run({ do: 'crash' }, context))).toEqual({ error: 'crashed outside the handler' });
    expect(await outcome(r.run({ do: 'ok' }, context))).toEqual({ value: { ok: true, mark: 'thread env' } });
  });
});
