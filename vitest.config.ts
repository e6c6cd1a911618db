import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting (stacks starting, jobs sleeping, ETAs), not
    // computing: two files at a time on a 2-core machine halve the wall time, where
    // vitest's default (cores - 1) would run one file at a time.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
  },
});
