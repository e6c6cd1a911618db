import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
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

  /**
   * SQS's approximate message counts of a queue and its dead-letter queue:
   * `waiting` (visible, plus delayed by an ETA or a retry's backoff), `running`
   * (received by a worker, not yet deleted) and `dead_letters`. Two
   * GetQueueAttributes calls; no message is touched.
   */
  async counts(queue: string): Promise<QueueCounts> {
    const [main, dead] = await Promise.all([
      this.attributes(this.urlFor(queue), ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible']),
      this.attributes(`${this.urlFor(queue)}${DEAD_LETTER_SUFFIX}`, ['ApproximateNumberOfMessages']),
    ]);
    return {
      waiting: main.ApproximateNumberOfMessages + main.ApproximateNumberOfMessagesDelayed,
      running: main.ApproximateNumberOfMessagesNotVisible,
      dead_letters: dead.ApproximateNumberOfMessages,
    };
  }

  private async attributes<K extends string>(url: string, names: K[]): Promise<Record<K, number>> {
    const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names as never }));
    const counts = {} as Record<K, number>;
    for (const name of names) counts[name] = Number(out.Attributes?.[name as keyof typeof out.Attributes] ?? 0);
    return counts;
  }
}

/** A queue's live message counts (approximate, as SQS reports them). */
export interface QueueCounts {
  waiting: number;
  running: number;
  dead_letters: number;
}
