import path from 'node:path';
import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slowFirstSequencer.js';

// V8's code cache on disk for every Node.js process of the run, inherited through the
// environment: each of the ~120 test workers, the local stacks' serverless offline and
// the packagings compiles the same modules (vitest, the AWS SDK, the Serverless Framework)
// again otherwise. CPU is what a run on 2 cores waits for. Node.js before 22.1 ignores it.
process.env.NODE_COMPILE_CACHE ??= path.join(import.meta.dirname, 'node_modules/.cache/node-compile');

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The functions' bundles and one DynamoDB Local, shared by the whole run (test/support/runServices.ts).
    globalSetup: ['test/support/runServices.ts'],
    // Most test time is spent waiting (stacks starting, jobs sleeping, ETAs), not
    // computing: three files at a time on a 2-core machine cut the wall time, where
    // vitest's default (cores - 1) would run one file at a time.
    maxWorkers: 3,
    minWorkers: 1,
    reporters: ['default'],
    sequence: { sequencer: SlowFirstSequencer },
  },
});
