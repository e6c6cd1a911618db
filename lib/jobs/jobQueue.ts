import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { traceAttributes } from '../observability/tracing.js';
import type { JobMessage } from './types.js';

/** A queue's dead-letter queue is named after it with this suffix. */
export const DEAD_LETTER_SUFFIX = '-dlq';

/** How long a dead-letter read hides the messages it returned (see sweepDeadLetters). */
export const DEAD_LETTER_HIDE_SECONDS = 30;

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
   * A delayed message always carries `not_before`, and a worker that sees it early
   * (an ETA beyond SQS's 900 s, a delay rounded to whole seconds) sends it on
   * again instead of starting: a job never starts before its ETA. `traceparent`
   * (W3C) goes in the message attribute of that name, for the worker's spans.
   */
  async send(queue: string, message: Omit<JobMessage, 'not_before'>, notBefore?: number, traceparent?: string): Promise<void> {
    const waitMs = notBefore === undefined ? 0 : notBefore - Date.now();
    // Rounded up: a delay a fraction of a second short would deliver it early.
    const delay = waitMs <= 0 ? 0 : Math.min(MAX_DELAY_SECONDS, Math.ceil(waitMs / 1000));
    const body: JobMessage = waitMs > 0 && notBefore !== undefined ? { ...message, not_before: notBefore } : message;
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.urlFor(queue), MessageBody: JSON.stringify(body), DelaySeconds: delay, MessageAttributes: traceAttributes(traceparent) }),
    );
  }

  /**
   * Reads up to 10 messages of a queue's dead-letter queue without removing them.
   * They are hidden for `DEAD_LETTER_HIDE_SECONDS`, so that successive reads return
   * other messages; `showDeadLetters` makes them visible again once a sweep is done.
   */
  async peekDeadLetters(queue: string): Promise<{ body: string; receives: number; receipt: string }[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: `${this.urlFor(queue)}${DEAD_LETTER_SUFFIX}`,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: DEAD_LETTER_HIDE_SECONDS,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    return (out.Messages ?? []).map((m) => ({ body: m.Body ?? '', receives: Number(m.Attributes?.ApproximateReceiveCount ?? 0), receipt: m.ReceiptHandle ?? '' }));
  }

  /** Makes dead letters read by `peekDeadLetters` visible again at once (they stay in the queue). */
  async showDeadLetters(queue: string, receipts: string[]): Promise<void> {
    for (let i = 0; i < receipts.length; i += 10) {
      await this.sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: `${this.urlFor(queue)}${DEAD_LETTER_SUFFIX}`,
          Entries: receipts.slice(i, i + 10).map((ReceiptHandle, n) => ({ Id: String(n), ReceiptHandle, VisibilityTimeout: 0 })),
        }),
      );
    }
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
