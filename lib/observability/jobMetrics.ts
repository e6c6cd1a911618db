import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { JobItem } from '../jobs/types.js';

/** CloudWatch namespace of SQL Jobber's metrics. */
export const METRICS_NAMESPACE = 'SqlJobber';

/**
 * Job metrics, written as CloudWatch embedded metric format (EMF) lines in the
 * function's log: no API call, no extra latency. Dimensions are `service`
 * (`<service>-<stage>`) and `queue`; the job ID and task go in as properties
 * (searchable in Logs Insights, not dimensions, which would cost a metric each).
 *
 * - `JobsSubmitted` (Count): jobs accepted by POST /tasks/{task}/jobs and POST /groups
 * - `JobsSucceeded` / `JobsFailed` (Count): jobs that reached SUCCESS / FAILURE
 * - `JobRunTime` (Milliseconds): the last attempt's run time, start to final write
 * - `JobRows` (Count): rows written to the results table (SUCCESS only)
 */
export interface JobMetrics {
  submitted(queue: string, count: number): void;
  /** A job's final record (SUCCESS or FAILURE). */
  finished(job: JobItem): void;
}

/** The Powertools Metrics adapter; one EMF document per call, published at once. */
export function createJobMetrics(service: string): JobMetrics {
  const metrics = (queue: string) => {
    const m = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: service });
    m.addDimension('queue', queue);
    return m;
  };
  return {
    submitted(queue, count) {
      const m = metrics(queue);
      m.addMetric('JobsSubmitted', MetricUnit.Count, count);
      m.publishStoredMetrics();
    },
    finished(job) {
      const m = metrics(job.queue);
      const ok = job.status === 'SUCCESS';
      m.addMetric(ok ? 'JobsSucceeded' : 'JobsFailed', MetricUnit.Count, 1);
      const started = job.started_at ? Date.parse(job.started_at) : NaN;
      const ended = job.finished_at ? Date.parse(job.finished_at) : NaN;
      if (Number.isFinite(started) && Number.isFinite(ended)) m.addMetric('JobRunTime', MetricUnit.Milliseconds, Math.max(0, ended - started));
      if (ok && typeof job.count === 'number') m.addMetric('JobRows', MetricUnit.Count, job.count);
      m.addMetadata('job_id', job.job_id);
      m.addMetadata('task', job.task);
      m.publishStoredMetrics();
    },
  };
}
