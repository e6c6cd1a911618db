import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients, type AwsClients } from './aws/clients.js';
import { NotifyQueue } from './aws/notifyQueue.js';
import { ReusePointers } from './aws/reusePointers.js';
import { NOTIFY_QUEUE, notifyEnabled } from './config/notifyConfig.js';
import type { Config } from './config/types.js';
import { GroupStore } from './groups/groupStore.js';
import { JobQueue } from './jobs/jobQueue.js';
import { JobStore } from './jobs/jobStore.js';
import { indexShards } from './jobs/shardKey.js';
import type { JobMetrics } from './observability/jobMetrics.js';
import { readSettings, type Settings } from './settings.js';
import { loadConfigAndTasks } from './tasks/loadConfigAndTasks.js';
import type { TaskRegistry } from './tasks/types.js';

/** Everything a handler needs, built once per cold start from settings, config and task files. */
export interface App {
  settings: Settings;
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  groups: GroupStore;
  queue: JobQueue;
  log: Logger;
  /** The completion events' queue, when `[notify]` configures any (announcements before final writes; lib/notify). */
  notify?: NotifyQueue;
  /** Result reuse pointers (lib/reuse). */
  reuse: ReusePointers;
  /** Job metrics (CloudWatch EMF); set by `loadApp` for the Lambda functions, absent in scripts and tests. */
  metrics?: JobMetrics;
}

/** The SQS URL of a configured queue. */
export function queueUrl(settings: Settings, queue: string): string {
  return `${settings.queueUrlPrefix}${settings.queueNamePrefix}${queue}`;
}

/**
 * Builds the App synchronously. `secrets` holds the values of the dsns' secret
 * references (see `loadConfig`); the Lambda functions build theirs with `loadApp`
 * (lib/loadApp.ts), which reads those secrets first.
 */
export function createApp(
  settings: Settings = readSettings(),
  aws: AwsClients = createAwsClients(settings),
  secrets?: Readonly<Record<string, string>>,
): App {
  const { config, tasks } = loadConfigAndTasks(settings, settings.env, secrets ? { secrets } : {});
  return {
    settings,
    config,
    tasks,
    store: new JobStore(aws.ddb, settings.table, { shards: indexShards(settings.dynamodbEndpoint) }),
    groups: new GroupStore(aws.ddb, settings.table),
    queue: new JobQueue(aws.sqs, (q) => queueUrl(settings, q)),
    reuse: new ReusePointers(aws.ddb, settings.table),
    ...(notifyEnabled(config.notify)
      ? { notify: new NotifyQueue(aws.sqs, queueUrl(settings, NOTIFY_QUEUE), `${queueUrl(settings, NOTIFY_QUEUE)}-dlq`) }
      : {}),
    log: new Logger({ serviceName: 'sql-jobber', logLevel: config.app.logLevel.toUpperCase() as 'INFO' }),
  };
}

/** Builds the app on first use and keeps it for the life of the container. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
