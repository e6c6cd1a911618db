import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { notifyEnabled } from '../../lib/config/notifyConfig.js';
import type { Config } from '../../lib/config/types.js';
import { NOTIFY_FUNCTION, NOTIFY_TIMEOUT_SECONDS, notifyQueueName, notifyTopicName } from '../../lib/deploy/notifyResources.js';
import type { ServiceNames } from '../../lib/deploy/serviceNames.js';
import { localClientConfig } from './awsLocal.js';
import { ensureQueues, queueArn, queueUrl } from './startSqs.js';

/**
 * The local completion events' resources, as lib/deploy/notifyResources.ts deploys
 * them: the notify queue with its dead-letter queue on fauxqs, and the SNS topic
 * (fauxqs emulates SNS, fanning out to subscribed queues). Nothing without `[notify]`.
 */
export async function startNotifyResources(sqsEndpoint: string, config: Config, names: ServiceNames) {
  if (!notifyEnabled(config.notify)) return undefined;
  const name = notifyQueueName(names);
  await ensureQueues(sqsEndpoint, [
    { name: `${name}-dlq` },
    {
      name,
      attributes: {
        VisibilityTimeout: String(NOTIFY_TIMEOUT_SECONDS * 6),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queueArn(`${name}-dlq`), maxReceiveCount: 5 }),
      },
    },
  ]);
  let topicArn: string | undefined;
  if (config.notify.sns) {
    const sns = new SNSClient(localClientConfig(sqsEndpoint));
    try {
      topicArn = (await sns.send(new CreateTopicCommand({ Name: notifyTopicName(names) }))).TopicArn;
    } finally {
      sns.destroy();
    }
  }
  return { queueName: name, queueUrl: queueUrl(sqsEndpoint, name), deadLetterUrl: queueUrl(sqsEndpoint, `${name}-dlq`), topicArn, functionKey: NOTIFY_FUNCTION };
}
