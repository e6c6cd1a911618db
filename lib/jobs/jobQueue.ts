import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage } from './types.js';

/** A queue's dead-letter queue is named after it with this suffix. */
export const DEAD_LETTER_SUFFIX = '-dlq';

/** SQS holds a message for at most this long; later ETAs are reached in hops. */
export const MAX_DELAY_SECONDS = 900;

/**
 * Sends job messages to the SQS queue of a configured queue name.
 * `urlFor` maps a queue name (as in config.toml) to its SQS URL.
 */
export class JobQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urlFor: (queue: string) => string,
  ) {}

  /**
   * Enqueues a message that becomes visible at `notBefore` (epoch ms) or at once.
   * Beyond 900 s the message carries `not_before` and the worker sends it on again.
   */
  async send(queue: string, message: Omit<JobMessage, 'not_before'>, notBefore?: number): Promise<void> {
    const waitMs = notBefore === undefined ? 0 : notBefore - Date.now();
    const delay = waitMs <= 0 ? 0 : Math.min(MAX_DELAY_SECONDS, Math.ceil(waitMs / 1000));
    const body: JobMessage = waitMs / 1000 > MAX_DELAY_SECONDS && notBefore !== undefined ? { ...message, not_before: notBefore } : message;
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.urlFor(queue), MessageBody: JSON.stringify(body), DelaySeconds: delay }),
    );
  }

  /**
   * Reads up to 10 messages of a queue's dead-letter queue without hiding them
   * (visibility 0): they stay there, visible, for people and the DLQ alarm.
   */
  async peekDeadLetters(queue: string): Promise<{ body: string; receives: number }[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: `${this.urlFor(queue)}${DEAD_LETTER_SUFFIX}`,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return (out.Messages ?? []).map((m) => ({ body: m.Body ?? '', receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0) }));
  }
}
