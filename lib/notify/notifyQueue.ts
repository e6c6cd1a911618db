import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { traceAttributes } from '../observability/tracing.js';
import type { Announcer, JobAnnouncement, NotifyMessage } from './types.js';

/** SQS holds a message back for at most 900 s. */
const MAX_DELAY_SECONDS = 900;

/**
 * The completion events' own SQS queue (and its dead-letter queue): announcements
 * of final writes, and webhook deliveries waiting for their next attempt.
 */
export class NotifyQueue implements Announcer {
  constructor(
    private readonly sqs: SQSClient,
    private readonly url: string,
    private readonly deadLetterUrl: string,
  ) {}

  /** Announces a final write that is about to happen (call it before the write); `traceparent`: the writer's span, the deliveries' parent. */
  async announce(a: Omit<JobAnnouncement, 'kind' | 'announced_at'>, traceparent?: string): Promise<void> {
    await this.send({ kind: 'job', ...a, announced_at: Date.now() }, 0, traceparent);
  }

  /** Enqueues a message, visible after `delaySeconds` (at most 900), its `traceparent` (W3C) in the message attribute of that name. */
  async send(message: NotifyMessage, delaySeconds = 0, traceparent?: string): Promise<void> {
    const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(delaySeconds)));
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.url, MessageBody: JSON.stringify(message), DelaySeconds: delay, MessageAttributes: traceAttributes(traceparent) }),
    );
  }

  /** Moves a delivery that ran out of retries to the dead-letter queue (watched by an alarm). */
  async deadLetter(message: NotifyMessage): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.deadLetterUrl, MessageBody: JSON.stringify(message) }));
  }
}
