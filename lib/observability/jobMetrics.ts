import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { JobItem } from '../jobs/types.js';

/** CloudWatch namespace of SQL Jobber's metrics. */
export const METRICS_NAMESPACE = 'SqlJobber';

/** Every metric SQL Jobber writes, by name: the dashboard and the alarms (lib/deploy) name them from here. */
export const METRIC_NAMES = {
  submitted: 'JobsSubmitted',
  started: 'JobsStarted',
  succeeded: 'JobsSucceeded',
  failed: 'JobsFailed',
  cancelled: 'JobsCancelled',
  retried: 'JobsRetried',
  runTime: 'JobRunTime',
  queueWait: 'JobQueueWait',
  rows: 'JobRows',
  bytes: 'JobBytes',
  reuseHits: 'ReuseHits',
  webhookDeliveries: 'WebhookDeliveries',
  webhookFailures: 'WebhookFailures',
} as const;

/**
 * Job metrics, written as CloudWatch embedded metric format (EMF) lines in the
 * function's log: no API call, no extra latency. Dimensions are bounded: `service`
 * (`<service>-<stage>`) and `queue` (configured queues only); the notify function's
 * use `service` and `sink` (`webhook`). The job ID and task go in as properties
 * (searchable in Logs Insights, not dimensions, which would cost a metric each).
 *
 * - `JobsSubmitted` (Count): jobs accepted by POST /tasks/{task}/jobs and POST /groups
 * - `JobsStarted` (Count), `JobQueueWait` (Milliseconds): an attempt claimed by a worker,
 *   and how long it waited since it was due (created, or its `eta`)
 * - `JobsSucceeded` / `JobsFailed` (Count): jobs that reached SUCCESS / FAILURE in a worker
 * - `JobsCancelled` (Count): jobs cancelled by DELETE /jobs/{id} or DELETE /groups/{id}
 * - `JobsRetried` (Count): failed attempts that will be tried again
 * - `JobRunTime` (Milliseconds): the last attempt's run time, start to final write
 * - `JobRows`, `JobBytes` (Count, Bytes): rows and bytes written to the results table (SUCCESS only)
 * - `ReuseHits` (Count): jobs that succeeded on an identical job's result (`max_age`) without a query
 * - `WebhookDeliveries` / `WebhookFailures` (Count): webhook POSTs answered 2xx / refused or failed
 *
 * Each event is its own EMF document, one value per datapoint, so CloudWatch keeps
 * the distribution of `JobRunTime` and `JobQueueWait` (p50, p95 on the dashboard).
 */
export interface JobMetrics {
  submitted(queue: string, count: number): void;
  /** An attempt claimed (STARTED). */
  started(job: JobItem): void;
  /** A job's final record written by its worker (SUCCESS or FAILURE). */
  finished(job: JobItem): void;
  /** A failed attempt that waits for another (RETRY). */
  retried(job: JobItem): void;
  /** A job cancelled by request (its record as written). */
  cancelled(job: JobItem): void;
  /** One webhook delivery's outcome. */
  webhook(outcome: 'delivered' | 'failed'): void;
}

/** The Powertools Metrics adapter; one EMF document per call, printed at once (one line on stdout). */
export function createJobMetrics(service: string): JobMetrics {
  const metrics = (dimension: string, value: string) => {
    const m = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
    m.addDimension(dimension, value);
    return m;
  };
  const perQueue = (queue: string) => metrics('queue', queue);
  const tagged = (m: Metrics, job: JobItem) => {
    m.addMetadata('job_id', job.job_id);
    m.addMetadata('task', job.task);
    m.publishStoredMetrics();
  };
  return {
    submitted(queue, count) {
      const m = perQueue(queue);
      m.addMetric(METRIC_NAMES.submitted, MetricUnit.Count, count);
      m.publishStoredMetrics();
    },
    started(job) {
      const m = perQueue(job.queue);
      m.addMetric(METRIC_NAMES.started, MetricUnit.Count, 1);
      const started = job.started_at ? Date.parse(job.started_at) : NaN;
      const due = Math.max(Date.parse(job.created_at), job.eta ? Date.parse(job.eta) : 0);
      if (Number.isFinite(started) && Number.isFinite(due)) m.addMetric(METRIC_NAMES.queueWait, MetricUnit.Milliseconds, Math.max(0, started - due));
      tagged(m, job);
    },
    finished(job) {
      const m = perQueue(job.queue);
      const ok = job.status === 'SUCCESS';
      m.addMetric(ok ? METRIC_NAMES.succeeded : METRIC_NAMES.failed, MetricUnit.Count, 1);
      const started = job.started_at ? Date.parse(job.started_at) : NaN;
      const ended = job.finished_at ? Date.parse(job.finished_at) : NaN;
      if (Number.isFinite(started) && Number.isFinite(ended)) m.addMetric(METRIC_NAMES.runTime, MetricUnit.Milliseconds, Math.max(0, ended - started));
      if (ok && typeof job.count === 'number') m.addMetric(METRIC_NAMES.rows, MetricUnit.Count, job.count);
      if (ok && typeof job.bytes_written === 'number') m.addMetric(METRIC_NAMES.bytes, MetricUnit.Bytes, job.bytes_written);
      if (ok && job.reused_from !== undefined) m.addMetric(METRIC_NAMES.reuseHits, MetricUnit.Count, 1);
      tagged(m, job);
    },
    retried(job) {
      const m = perQueue(job.queue);
      m.addMetric(METRIC_NAMES.retried, MetricUnit.Count, 1);
      tagged(m, job);
    },
    cancelled(job) {
      const m = perQueue(job.queue);
      m.addMetric(METRIC_NAMES.cancelled, MetricUnit.Count, 1);
      tagged(m, job);
    },
    webhook(outcome) {
      const m = metrics('sink', 'webhook');
      m.addMetric(outcome === 'delivered' ? METRIC_NAMES.webhookDeliveries : METRIC_NAMES.webhookFailures, MetricUnit.Count, 1);
      m.publishStoredMetrics();
    },
  };
}
