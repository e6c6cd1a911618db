import type { Config } from '../config/types.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../observability/jobMetrics.js';
import { physicalQueueName, type ServiceNames } from './serviceNames.js';

/** The dashboard's logical ID in the template. */
export const DASHBOARD_ID = 'JobsDashboard';

type Widget = Record<string, unknown>;

/**
 * One CloudWatch dashboard, `<service>-<stage>`, of the jobs' metrics
 * (lib/observability/jobMetrics.ts) per queue: jobs by outcome, run time and queue
 * wait (p50, p95), rows and bytes written, reuse hits, the queue's waiting and
 * in-flight messages and its oldest message's age; and the webhook deliveries.
 */
export function jobDashboard(config: Config, names: ServiceNames): Record<string, unknown> {
  const service = `${names.service}-${names.stage}`;
  const region = '${AWS::Region}';
  const widgets: Widget[] = [];
  const graph = (title: string, metrics: unknown[], x: number, y: number, extra: Record<string, unknown> = {}): Widget => ({
    type: 'metric',
    x,
    y,
    width: 8,
    height: 6,
    properties: { title, region, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra },
  });
  let y = 0;
  for (const q of Object.values(config.queues)) {
    const dims = ['service', service, 'queue', q.name];
    const m = (name: string, opts: Record<string, unknown> = { stat: 'Sum' }) => [METRICS_NAMESPACE, name, ...dims, opts];
    const sqs = (name: string, stat: string) => ['AWS/SQS', name, 'QueueName', physicalQueueName(names, q.name), { stat }];
    widgets.push(
      { type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: `### Queue \`${q.name}\`` } },
      graph(`${q.name}: jobs`, [m(METRIC_NAMES.submitted), m(METRIC_NAMES.started), m(METRIC_NAMES.succeeded), m(METRIC_NAMES.failed), m(METRIC_NAMES.cancelled), m(METRIC_NAMES.retried), m(METRIC_NAMES.reuseHits)], 0, y + 1),
      graph(
        `${q.name}: run time and queue wait (ms)`,
        [m(METRIC_NAMES.runTime, { stat: 'p50' }), m(METRIC_NAMES.runTime, { stat: 'p95' }), m(METRIC_NAMES.queueWait, { stat: 'p50' }), m(METRIC_NAMES.queueWait, { stat: 'p95' })],
        8,
        y + 1,
      ),
      graph(
        `${q.name}: waiting, running, oldest (s)`,
        [sqs('ApproximateNumberOfMessagesVisible', 'Maximum'), sqs('ApproximateNumberOfMessagesNotVisible', 'Maximum'), [...sqs('ApproximateAgeOfOldestMessage', 'Maximum').slice(0, 4), { stat: 'Maximum', yAxis: 'right' }]],
        16,
        y + 1,
      ),
      graph(`${q.name}: rows and bytes written`, [m(METRIC_NAMES.rows), [...m(METRIC_NAMES.bytes).slice(0, 6), { stat: 'Sum', yAxis: 'right' }]], 0, y + 7),
    );
    y += 13;
  }
  widgets.push(graph('webhook deliveries', [[METRICS_NAMESPACE, METRIC_NAMES.webhookDeliveries, 'service', service, 'sink', 'webhook', { stat: 'Sum' }], [METRICS_NAMESPACE, METRIC_NAMES.webhookFailures, 'service', service, 'sink', 'webhook', { stat: 'Sum' }]], 0, y));
  return {
    [DASHBOARD_ID]: {
      Type: 'AWS::CloudWatch::Dashboard',
      Properties: {
        DashboardName: service,
        // Fn::Sub fills in the region; the body holds no other ${...}.
        DashboardBody: { 'Fn::Sub': JSON.stringify({ widgets }) },
      },
    },
  };
}
