import { loadConfig } from '../lib/config/loadConfig.js';
import { functions, resources } from '../lib/deploy/serviceDefinition.js';
import { readSettings } from '../lib/settings.js';

/** Entry point for serverless/service.cjs: the config-derived parts of serverless.yml. */
export function serviceParts(names: { service: string; stage: string }) {
  const settings = readSettings();
  const config = loadConfig(settings.configPath, settings.env);
  return { functions: functions(config), resources: resources(config, names) };
}
