/**
 * `npm run check`: loads config.toml and the task files, prepares every non-raw
 * task on its databases, prints the result per task and exits non-zero on any error.
 */
import { loadConfig } from '../lib/config/loadConfig.js';
import { ConfigError } from '../lib/errors.js';
import { readSettings } from '../lib/settings.js';
import { loadTasks } from '../lib/tasks/loadTasks.js';
import { checkTasks, printCheck } from './checkTasks.js';

const settings = readSettings();
try {
  const config = loadConfig(settings.configPath, settings.env);
  const tasks = loadTasks(settings.sqlDir, config);
  console.log(`config ${settings.configPath}: ok; ${tasks.tasks.size} task(s) in ${settings.sqlDir}`);
  const checks = await checkTasks(config, tasks);
  printCheck(checks);
  process.exit(checks.some((c) => !c.ok) ? 1 : 0);
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
