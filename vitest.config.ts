import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './test/support/slowFirstSequencer.js';

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
