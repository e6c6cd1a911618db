import type { Config } from '../config/types.js';
import { logicalId } from './serviceDefinition.js';
import { physicalQueueName, type ServiceNames } from './serviceNames.js';

/**
 * One CloudWatch alarm per dead-letter queue: any visible message means a job
 * message failed `MAX_RECEIVE_COUNT` times (a poison message, or workers that keep
 * crashing). It notifies `[aws] alarm_topic_arn` when set.
 */
export function dlqAlarms(config: Config, names: ServiceNames): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of Object.values(config.queues)) {
    const dlqName = `${physicalQueueName(names, q.name)}-dlq`;
    out[logicalId('DeadLetterAlarm', q.name)] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${dlqName}-not-empty`,
        AlarmDescription: `Messages of queue "${q.name}" reached its dead-letter queue ${dlqName}: their jobs never ran. Read them with the SQS console, fix the cause, then redrive or delete them.`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId('DeadLetter', q.name), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        ...(config.aws.alarmTopicArn ? { AlarmActions: [config.aws.alarmTopicArn], OKActions: [config.aws.alarmTopicArn] } : {}),
      },
    };
  }
  return out;
}
