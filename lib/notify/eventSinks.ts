import type { Settings } from '../settings.js';
import { DETAIL_TYPE } from './completionEvent.js';
import type { CompletionEvent } from './types.js';

/** Where completion events are published besides webhooks; each throws when the event was not taken. */
export interface EventSinks {
  sns?: (event: CompletionEvent, body: string) => Promise<void>;
  eventbridge?: (event: CompletionEvent, body: string) => Promise<void>;
}

/**
 * The SNS topic (`[notify] sns`, its ARN in SQL_JOBBER_NOTIFY_TOPIC_ARN; fauxqs
 * locally) and the default EventBridge bus (`[notify] eventbridge`, AWS only: not
 * emulated locally, so it is skipped when the stack runs on local endpoints).
 * The SDK clients are imported on first use, so other functions never load them.
 * `eventbridgeEndpoint`: an EventBridge stand-in to send to instead (tests).
 */
export function createEventSinks(settings: Settings, opts: { sns: boolean; eventbridge: boolean; eventbridgeEndpoint?: string }): EventSinks {
  const local = { accessKeyId: 'local', secretAccessKey: 'local' };
  const sinks: EventSinks = {};
  if (opts.sns) {
    const topicArn = settings.notifyTopicArn;
    if (!topicArn) throw new Error('[notify] sns = true, but SQL_JOBBER_NOTIFY_TOPIC_ARN is not set (the deployment sets it)');
    let client: Promise<{ send: (body: string, type: string) => Promise<void> }> | undefined;
    const connect = async () => {
      const { SNSClient, PublishCommand } = await import('@aws-sdk/client-sns');
      const sns = new SNSClient({ region: settings.region, ...(settings.sqsEndpoint ? { endpoint: settings.sqsEndpoint, credentials: local } : {}) });
      return {
        send: async (body: string, type: string) => {
          await sns.send(new PublishCommand({ TopicArn: topicArn, Message: body, MessageAttributes: { type: { DataType: 'String', StringValue: type } } }));
        },
      };
    };
    sinks.sns = async (event, body) => (await (client ??= connect())).send(body, event.type);
  }
  if (opts.eventbridge && (opts.eventbridgeEndpoint || !settings.sqsEndpoint)) {
    let client: Promise<{ put: (detailType: string, body: string) => Promise<void> }> | undefined;
    const connect = async () => {
      const { EventBridgeClient, PutEventsCommand } = await import('@aws-sdk/client-eventbridge');
      const eb = new EventBridgeClient({ region: settings.region, ...(opts.eventbridgeEndpoint ? { endpoint: opts.eventbridgeEndpoint, credentials: local } : {}) });
      return {
        put: async (detailType: string, body: string) => {
          const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: settings.service, DetailType: detailType, Detail: body, EventBusName: 'default' }] }));
          if (out.FailedEntryCount) throw new Error(`EventBridge refused the event: ${out.Entries?.[0]?.ErrorCode ?? ''} ${out.Entries?.[0]?.ErrorMessage ?? ''}`);
        },
      };
    };
    sinks.eventbridge = async (event, body) => (await (client ??= connect())).put(DETAIL_TYPE[event.type], body);
  }
  return sinks;
}
