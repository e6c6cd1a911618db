import type { Config } from '../config/types.js';
import { METRIC_NAMES, METRICS_NAMESPACE } from '../observability/jobMetrics.js';
import { logicalId } from './serviceDefinition.js';
import { physicalQueueName, type ServiceNames } from './serviceNames.js';

/**
 * A waiting message this old (seconds) means the queue's workers do not keep up, or
 * do not run: no job waits that long on a healthy queue. An ETA far off is held in the
 * job record and sent at most 15 minutes ahead (SQS's delay), and a delayed message
 * is not counted by SQS until it is due, so ETAs do not trip it.
 */
export const OLDEST_MESSAGE_ALARM_S = 900;
/** Failed / (succeeded + failed) above this over FAILURE_RATE_WINDOW_S, with at least FAILURE_RATE_MIN_JOBS finished... */
export const FAILURE_RATE_ALARM = 0.1;
export const FAILURE_RATE_WINDOW_S = 900;
/** ...so that one failure among two jobs at night does not page anyone. */
export const FAILURE_RATE_MIN_JOBS = 5;

/**
 * Per queue, two CloudWatch alarms beside the dead-letter one (lib/deploy/dlqAlarms.ts):
 * the age of the oldest waiting message (`AWS/SQS ApproximateAgeOfOldestMessage`),
 * and the failure rate of its jobs from the workers' EMF metrics (`JobsFailed` /
 * (`JobsSucceeded` + `JobsFailed`), metric math). Both notify `[aws] alarm_topic_arn`
 * when set.
 */
export function jobAlarms(config: Config, names: ServiceNames): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const actions = config.aws.alarmTopicArn ? { AlarmActions: [config.aws.alarmTopicArn], OKActions: [config.aws.alarmTopicArn] } : {};
  const service = `${names.service}-${names.stage}`;
  for (const q of Object.values(config.queues)) {
    const queueName = physicalQueueName(names, q.name);
    out[logicalId('OldestMessageAlarm', q.name)] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${queueName}-oldest-message`,
        AlarmDescription: `A message of queue "${q.name}" has waited over ${OLDEST_MESSAGE_ALARM_S / 60} minutes: its workers do not keep up (raise its concurrency) or do not run (look at the worker's errors and throttles).`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId('Queue', q.name), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        Threshold: OLDEST_MESSAGE_ALARM_S,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        ...actions,
      },
    };
    const jobs = (id: string, metric: string) => ({
      Id: id,
      ReturnData: false,
      MetricStat: {
        Metric: { Namespace: METRICS_NAMESPACE, MetricName: metric, Dimensions: [{ Name: 'service', Value: service }, { Name: 'queue', Value: q.name }] },
        Period: FAILURE_RATE_WINDOW_S,
        Stat: 'Sum',
      },
    });
    out[logicalId('FailureRateAlarm', q.name)] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${queueName}-failure-rate`,
        AlarmDescription: `Over ${FAILURE_RATE_ALARM * 100}% of the jobs of queue "${q.name}" that finished in ${FAILURE_RATE_WINDOW_S / 60} minutes failed (at least ${FAILURE_RATE_MIN_JOBS} finished). Their errors are in GET /jobs?status=FAILURE and the worker's log.`,
        Metrics: [
          jobs('failed', METRIC_NAMES.failed),
          jobs('succeeded', METRIC_NAMES.succeeded),
          {
            Id: 'rate',
            Label: 'failure rate',
            ReturnData: true,
            Expression: `IF((FILL(failed, 0) + FILL(succeeded, 0)) >= ${FAILURE_RATE_MIN_JOBS}, FILL(failed, 0) / (FILL(failed, 0) + FILL(succeeded, 0)), 0)`,
          },
        ],
        EvaluationPeriods: 1,
        Threshold: FAILURE_RATE_ALARM,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        ...actions,
      },
    };
  }
  return out;
}
