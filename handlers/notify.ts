import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { lazy, type App } from '../lib/app.js';
import { createEventSinks, type EventSinks } from '../lib/notify/eventSinks.js';
import { createSecretReader } from '../lib/config/createSecretReader.js';
import { onColdStart } from '../lib/loadApp.js';
import { handleNotifyMessage } from '../lib/notify/handleNotifyMessage.js';
import { parseNotifyMessage } from '../lib/notify/parseNotifyMessage.js';
import { webhookSecret } from '../lib/notify/webhookSecret.js';
import { recordTraceparent } from '../lib/observability/tracing.js';

/**
 * The completion events' function, on its own SQS queue: turns announcements of
 * final writes into events (SNS, EventBridge, one signed POST per webhook) and
 * retries refused webhook deliveries. A slow receiver slows only this function.
 */
export const makeHandler = (app: () => App, sinks: () => EventSinks, secret: () => Promise<string | undefined>) => {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) => {
    const a = app();
    if (!a.notify) throw new Error('the notify function runs, but [notify] configures no webhooks, sns or eventbridge');
    const deps = { ...a, notifyQueue: a.notify, sinks: sinks(), webhookSecret: secret, observe: { webhook: (outcome: 'delivered' | 'failed') => a.metrics?.webhook(outcome) } };
    try {
      return await processPartialResponse(
        event,
        async (record: SQSRecord) => {
          try {
            const message = parseNotifyMessage(record.body);
            const outcome = await handleNotifyMessage(deps, message, recordTraceparent(record));
            a.log.debug('notify message done', { kind: message.kind, outcome });
          } catch (err) {
            // The record comes back (or, for a poison message, ends in the dead-letter queue): say why.
            a.log.error('notify message failed', { error: (err as Error).message, body: record.body.slice(0, 500) });
            throw err;
          }
        },
        processor,
        { context },
      );
    } finally {
      // Spans leave before the invocation ends: a frozen container sends nothing.
      await a.tracing.flush();
    }
  };
};

export const handler = onColdStart((app) =>
  makeHandler(
    app,
    lazy(() => createEventSinks(app().settings, app().config.notify)),
    webhookSecret(app().config.notify, app().config.source, () => createSecretReader(app().settings)),
  ),
);
