import { capacityNotes, deployNotes, deployService } from '../lib/deploy/deployService.js';
import { packagedPaths } from '../lib/deploy/packagedPaths.js';
import { joinSqlDirs, readSettings } from '../lib/settings.js';
import { loadConfigAndTasks } from '../lib/tasks/loadConfigAndTasks.js';
import { NOTIFY_TOPIC_ID } from '../lib/deploy/notifyResources.js';

/**
 * Entry point for serverless/service.cjs: the config-derived parts of serverless.yml.
 * Under the local stack (serverless offline, local endpoints set) config.toml is
 * read as the functions read it locally; for a deployment it must also be fit for
 * AWS (secrets in SSM / Secrets Manager, files inside the service directory), and
 * the task files must load against it as the functions will load them at cold start
 * (names, tags, dialects; no database connection), or nothing is packaged.
 */
export function serviceParts(names: { service: string; stage: string }, serviceDir: string) {
  const settings = readSettings();
  const local = Boolean(settings.dynamodbEndpoint || settings.sqsEndpoint);
  const paths = local
    ? { configPath: settings.configPath, sqlDir: joinSqlDirs(settings.sqlDirs), patterns: [] as string[] }
    : packagedPaths(serviceDir, settings);
  // The task files too: a queue named only by a task's tag gets its SQS queue and worker like any other.
  const { config } = loadConfigAndTasks(settings, settings.env, { deploy: !local });
  if (!local) for (const note of [...deployNotes(config), ...capacityNotes(config, names)]) console.warn(`SQL Jobber: ${note}`);
  // The SNS topic of the completion events: the local stack passes fauxqs's; in AWS it is the stack's own (lib/deploy/notifyResources.ts).
  const notifyTopicArn = local ? (settings.notifyTopicArn ?? '') : config.notify.sns ? { Ref: NOTIFY_TOPIC_ID } : '';
  const service = deployService(config, names, { local });
  if (local) {
    // Nothing is packaged locally, and under serverless offline serverless-esbuild watches every
    // package pattern: the console function's `console/dist/**` made each console build (npm start,
    // npm test) terminate every function of every local stack, invocations in flight included.
    // Under the test kit the bundles are built once per run (scripts/stack/prebuildBundles.ts): offline loads them from there.
    const prebuilt = Boolean(process.env.SQL_JOBBER_PREBUILT_BUNDLES);
    service.functions = Object.fromEntries(
      Object.entries(service.functions).map(([name, { package: _packaged, ...fn }]) => [name, prebuilt ? { ...fn, skipEsbuild: true } : fn]),
    );
  }
  return { ...service, configPath: paths.configPath, sqlDir: paths.sqlDir, packagePatterns: paths.patterns, notifyTopicArn, corsOrigins: config.api.corsOrigins.join(' ') };
}
