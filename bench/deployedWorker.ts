/**
 * How a bench starts a child that stands for a deployed worker: with the command line
 * AWS Lambda's Node.js runtime gives a 1024 MB function, through the workers' startup
 * wrapper, as AWS_LAMBDA_EXEC_WRAPPER runs it (serverless/workerExecWrapper.sh). The
 * young generation is what differs: the runtime's 51 MB semi-spaces (V8 rounds them up
 * to 64), the wrapper's 32. `runtime`: the same flags without the wrapper; `plain`:
 * node with no flags.
 */
import path from 'node:path';
import { WORKER_EXEC_WRAPPER } from '../lib/deploy/serviceDefinition.js';

export type Launch = 'deployed' | 'runtime' | 'plain';

/** The runtime's own flags for 1024 MB: a young generation of a tenth of it (two 51 MB semi-spaces), the rest old. */
export const LAMBDA_FLAGS = ['--expose-gc', '--max-http-header-size', '81920', '--max-semi-space-size=51', '--max-old-space-size=921'];

const WRAPPER = path.join(import.meta.dirname, '..', WORKER_EXEC_WRAPPER);

/** The command and arguments that start node with `nodeArgs` (flags, then the script and its arguments) as `launch` says. */
export function launchCommand(launch: Launch, nodeArgs: string[]): [string, string[]] {
  if (launch === 'deployed') return ['/bin/sh', [WRAPPER, process.execPath, ...LAMBDA_FLAGS, ...nodeArgs]];
  return [process.execPath, launch === 'runtime' ? [...LAMBDA_FLAGS, ...nodeArgs] : nodeArgs];
}
