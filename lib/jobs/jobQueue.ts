import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { JobMessage } from './types.js';

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
}
