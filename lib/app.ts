import { Logger } from '@aws-lambda-powertools/logger';
import { createAwsClients, type AwsClients } from './awsClients.js';
import { DeliveryRecords } from './notify/deliveryRecords.js';
import { NotifyQueue } from './notify/notifyQueue.js';
import { ReusePointers } from './reuse/reusePointers.js';
import { NOTIFY_QUEUE, notifyEnabled } from './config/notifyConfig.js';
import type { Config } from './config/types.js';
import { GroupStore } from './groups/groupStore.js';
import { callerIdentifier, type IdentifyCaller } from './identity/identifyCaller.js';
import { isLocalRun } from './awsClients.js';
import { JobQueue } from './jobs/jobQueue.js';
import { JobStore } from './jobs/jobStore.js';
import { indexShards } from './jobs/shardKey.js';
import type { JobMetrics } from './observability/jobMetrics.js';
import { NO_TRACING, type Tracing } from './observability/tracing.js';
import { ScheduleStore } from './schedules/scheduleStore.js';
import { readSettings, type Settings } from './settings.js';
import { loadConfigAndTasks } from './tasks/loadConfigAndTasks.js';
import { ExportStore } from './export/exportStore.js';
import type { TaskRegistry } from './tasks/types.js';

/** Everything a handler needs, built once per cold start from settings, config and task files. */
export interface App {
  settings: Settings;
  config: Config;
  tasks: TaskRegistry;
  store: JobStore;
  groups: GroupStore;
  /** Schedules (lib/schedules), in the jobs table. */
  schedules: ScheduleStore;
  queue: JobQueue;
  log: Logger;
  /** The completion events' queue, when `[notify]` configures any (announcements before final writes; lib/notify). */
  notify?: NotifyQueue;
  /** Which sinks took which completion event (lib/notify). */
  deliveries: DeliveryRecords;
  /** Result reuse pointers (lib/reuse). */
  reuse: ReusePointers;
  /** Job metrics (CloudWatch EMF); set by `loadApp` for the Lambda functions, absent in scripts and tests. */
  metrics?: JobMetrics;
  /** Traces (lib/observability/tracing.ts): `NO_TRACING` unless `loadApp` found `[observability] otlp_endpoint`. */
  tracing: Tracing;
  /** Who asks: the Caller of an HTTP request (lib/identity), from `[api]`. */
  identify: IdentifyCaller;
  /** The export bucket (`[export]`, lib/export), when one is configured. */
  exportStore?: ExportStore;
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
    schedules: new ScheduleStore(aws.ddb, settings.table),
    queue: new JobQueue(aws.sqs, (q) => queueUrl(settings, q)),
    reuse: new ReusePointers(aws.ddb, settings.table),
    deliveries: new DeliveryRecords(aws.ddb, settings.table),
    ...(notifyEnabled(config.notify)
      ? { notify: new NotifyQueue(aws.sqs, queueUrl(settings, NOTIFY_QUEUE), `${queueUrl(settings, NOTIFY_QUEUE)}-dlq`) }
      : {}),
    identify: callerIdentifier(config.api, isLocalRun(settings)),
    tracing: NO_TRACING,
    ...(config.export ? { exportStore: new ExportStore(config.export, settings) } : {}),
    log: new Logger({ serviceName: 'sql-jobber', logLevel: config.app.logLevel.toUpperCase() as 'INFO' }),
  };
}

/** Builds the app on first use and keeps it for the life of the container. */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}
