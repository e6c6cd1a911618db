import { loadConfig, type ConfigOptions } from '../config/loadConfig.js';
import type { Config } from '../config/types.js';
import { loadTasks } from './loadTasks.js';
import type { TaskRegistry } from './types.js';

/**
 * Loads the task files against a config. The returned config's `queues` include
 * the queues that only task tags name, so everything downstream (job requests,
 * deploy, workers, the local stack) sees one list.
 *
 * @throws ConfigError listing the problems of the task files.
 */
export function withTaskFiles(config: Config, sqlDirs: string | readonly string[]): { config: Config; tasks: TaskRegistry } {
  const tasks = loadTasks(sqlDirs, config);
  return { config: Object.freeze({ ...config, queues: tasks.queues }), tasks };
}

/**
 * Reads config.toml and the task files together, as the entry points do (the
 * functions' cold start, the deployment, `npm run check`); see {@link withTaskFiles}.
 *
 * @throws ConfigError listing the problems of the config, or else of the task files.
 */
export function loadConfigAndTasks(
  paths: { configPath: string; sqlDirs: string | readonly string[] },
  env: Readonly<Record<string, string | undefined>>,
  options: ConfigOptions = {},
): { config: Config; tasks: TaskRegistry } {
  return withTaskFiles(loadConfig(paths.configPath, env, options), paths.sqlDirs);
}
