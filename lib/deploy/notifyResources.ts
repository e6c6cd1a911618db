import { notifyEnabled, NOTIFY_QUEUE } from '../config/notifyConfig.js';
import type { Config } from '../config/types.js';
import { getAtt } from './cfn.js';
import { physicalQueueName, type ServiceNames } from './serviceNames.js';

/**
 * The completion events' part of the stack (`[notify]`): their own SQS queue, a
 * dead-letter queue with an alarm, the delivery function, and an SNS topic when
 * `sns = true`. Nothing of it exists when `[notify]` configures no event.
 */
export const NOTIFY_QUEUE_ID = 'NotifyQueue';
export const NOTIFY_DEAD_LETTER_ID = 'NotifyDeadLetter';
export const NOTIFY_TOPIC_ID = 'NotifyTopic';
export const NOTIFY_FUNCTION = 'notify';
/** The delivery function's timeout: one webhook POST waits 10 s at most; a batch's deliveries run at once. */
export const NOTIFY_TIMEOUT_SECONDS = 60;

export const notifyQueueName = (n: ServiceNames) => physicalQueueName(n, NOTIFY_QUEUE);
export const notifyTopicName = (n: ServiceNames) => `${n.service}-${n.stage}-events`;

/** The delivery function, or nothing. */
export function notifyFunctions(config: Config): Record<string, unknown> {
  if (!notifyEnabled(config.notify)) return {};
  return {
    [NOTIFY_FUNCTION]: {
      handler: 'handlers/notify.handler',
      timeout: NOTIFY_TIMEOUT_SECONDS,
      memorySize: 256,
      events: [
        {
          sqs: {
            arn: getAtt(NOTIFY_QUEUE_ID),
            batchSize: 10,
            maximumConcurrency: 10,
            functionResponseType: 'ReportBatchItemFailures',
          },
        },
      ],
    },
  };
}

/** The queue, its dead-letter queue and alarm, and the topic. */
export function notifyResources(config: Config, names: ServiceNames): Record<string, unknown> {
  if (!notifyEnabled(config.notify)) return {};
  const dlqName = `${notifyQueueName(names)}-dlq`;
  return {
    [NOTIFY_DEAD_LETTER_ID]: { Type: 'AWS::SQS::Queue', Properties: { QueueName: dlqName, MessageRetentionPeriod: 1_209_600 } },
    [NOTIFY_QUEUE_ID]: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        QueueName: notifyQueueName(names),
        VisibilityTimeout: NOTIFY_TIMEOUT_SECONDS * 6,
        // Retries with backoff are new messages; this catches a function that keeps crashing on one.
        RedrivePolicy: { deadLetterTargetArn: getAtt(NOTIFY_DEAD_LETTER_ID), maxReceiveCount: 5 },
      },
    },
    NotifyDeadLetterAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${dlqName}-not-empty`,
        AlarmDescription: `Completion events that could not be delivered (a webhook refused them for [notify] retry_for, or the delivery function kept failing) are in ${dlqName}. Each message says the event, the receiver and the last error.`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(NOTIFY_DEAD_LETTER_ID, 'QueueName') }],
        Statistic: 'Maximum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        ...(config.aws.alarmTopicArn ? { AlarmActions: [config.aws.alarmTopicArn], OKActions: [config.aws.alarmTopicArn] } : {}),
      },
    },
    ...(config.notify.sns ? { [NOTIFY_TOPIC_ID]: { Type: 'AWS::SNS::Topic', Properties: { TopicName: notifyTopicName(names) } } } : {}),
  };
}
