import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { Settings } from '../settings.js';

/**
 * The config file and task directory as the deployed functions see them: paths
 * relative to the service directory, which is the root of every code package
 * (/var/task). Files outside it cannot be packaged, so they are refused.
 *
 * @throws ConfigError naming SQL_JOBBER_CONFIG / SQL_JOBBER_SQL_DIR when either lies outside `serviceDir`.
 */
export function packagedPaths(serviceDir: string, settings: Pick<Settings, 'configPath' | 'sqlDir'>) {
  const problems: string[] = [];
  const inside = (variable: string, value: string) => {
    const rel = path.relative(serviceDir, path.resolve(serviceDir, value)).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      problems.push(`${variable}=${value}: must be inside the service directory ${serviceDir}, whose files are what the functions get`);
    }
    return rel === '' ? '.' : rel;
  };
  const configPath = inside('SQL_JOBBER_CONFIG', settings.configPath);
  const sqlDir = inside('SQL_JOBBER_SQL_DIR', settings.sqlDir);
  if (problems.length > 0) throw new ConfigError('deploy', problems);
  return { configPath, sqlDir, patterns: [configPath, sqlDir === '.' ? '*.sql' : `${sqlDir}/*.sql`] };
}
