/**
 * The workers' startup wrapper (serverless/workerExecWrapper.sh), run the way AWS Lambda
 * runs an AWS_LAMBDA_EXEC_WRAPPER: with the Node.js runtime's command line, whose
 * --max-semi-space-size comes from the function's memory (51 for 1024 MB), as one
 * argument or two. The wrapper must replace that value, keep every other argument as
 * it was, and V8 must then hold the young generation at 2 x 32 MB under sustained
 * allocation, where the runtime's 51 lets it grow to 2 x 64 MB.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKER_EXEC_WRAPPER } from '../../lib/deploy/serviceDefinition.js';

const wrapper = path.resolve(import.meta.dirname, '../..', WORKER_EXEC_WRAPPER);

/** Runs `script` under the wrapper with `flags` as the runtime's own; answers what the child printed. */
function underWrapper(flags: string[], script: string, args: string[] = []) {
  const run = spawnSync('/bin/sh', [wrapper, process.execPath, ...flags, '-e', script, ...args], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

const ECHO = 'console.log(JSON.stringify({ execArgv: process.execArgv, argv: process.argv.slice(1) }))';

describe('the worker exec wrapper', () => {
  it.each([
    ['one argument', ['--max-semi-space-size=51']],
    ['two arguments', ['--max-semi-space-size', '51']],
    ['the underscore spelling', ['--max_semi_space_size=51']],
    ['no value of the runtime', []],
  ])('replaces the runtime’s semi-space size (%s) and keeps every other argument', (_, semi) => {
    const out = underWrapper(['--expose-gc', ...semi, '--max-http-header-size', '81920', '--max-old-space-size=921'], ECHO, ['a b', '', '*']);
    expect(out.execArgv).toEqual(['--max-semi-space-size=32', '--expose-gc', '--max-http-header-size', '81920', '--max-old-space-size=921', '-e', ECHO]);
    expect(out.argv).toEqual(['a b', '', '*']);
  });

  it('starts a command that is not node as it came, and says so on stderr', () => {
    const run = spawnSync('/bin/sh', [wrapper, '/bin/echo', '--max-semi-space-size=51', 'a b'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('--max-semi-space-size=51 a b\n');
    expect(run.stderr).toMatch(/starts with '\/bin\/echo', not node: started as it came/);
  });

  it('holds V8’s young generation at 2 x 32 MB under sustained allocation', () => {
    // Two seconds of allocation with survivors: enough for V8 to grow the young generation to its cap.
    const grow = `
      const v8 = require('v8');
      let keep = [], most = 0;
      for (const end = Date.now() + 2000; Date.now() < end; ) {
        for (let i = 0; i < 1000; i++) keep.push({ a: 'x' + i, b: [i, i + 1] });
        if (keep.length > 500000) keep = [];
        most = Math.max(most, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      }
      console.log(JSON.stringify({ mb: most / 2 ** 20 }));`;
    // V8 reports 2 x 32 MB plus a page or two; the runtime's 51 rounds up to 64, which would reach 128.
    expect(underWrapper(['--expose-gc', '--max-semi-space-size=51'], grow).mb).toBeLessThan(96);
  });
});
