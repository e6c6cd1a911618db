import path from 'node:path';
import { ConfigError } from '../errors.js';
import { joinSqlDirs, type Settings } from '../settings.js';

/**
 * The config file and task directories as the deployed functions see them: paths
 * relative to the service directory, which is the root of every code package
 * (/var/task), with the package patterns that ship them (every directory's
 * `*.sql`). Files outside it cannot be packaged, so they are refused.
 *
 * @returns `sqlDir`: the directories as one `SQL_JOBBER_SQL_DIR` value.
 * @throws ConfigError naming SQL_JOBBER_CONFIG / SQL_JOBBER_SQL_DIR when any lies outside `serviceDir`.
 */
export function packagedPaths(serviceDir: string, settings: Pick<Settings, 'configPath' | 'sqlDirs'>) {
  const problems: string[] = [];
  const inside = (variable: string, value: string) => {
    const rel = path.relative(serviceDir, path.resolve(serviceDir, value)).split(path.sep).join('/');
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      problems.push(`${variable}=${value}: must be inside the service directory ${serviceDir}, whose files are what the functions get`);
    }
    return rel === '' ? '.' : rel;
  };
  const configPath = inside('SQL_JOBBER_CONFIG', settings.configPath);
  const sqlDirs = [...new Set(settings.sqlDirs.map((dir) => inside('SQL_JOBBER_SQL_DIR', dir)))];
  if (problems.length > 0) throw new ConfigError('deploy', problems);
  return {
    configPath,
    sqlDir: joinSqlDirs(sqlDirs),
    patterns: [configPath, ...sqlDirs.map((dir) => (dir === '.' ? '*.sql' : `${dir}/*.sql`))],
  };
}
