import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { buildApp } from 'fauxqs';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, LOOPBACK, localClientConfig } from './awsLocal.js';

export interface LocalSqs {
  /** `http://HOST:PORT`, for the SDK's `endpoint`. */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface QueueDef {
  name: string;
  /** SQS queue attributes (VisibilityTimeout, RedrivePolicy, ...), as strings. */
  attributes?: Record<string, string>;
}

/**
 * Starts fauxqs (an in-process SQS emulator) on 127.0.0.1 only, on `port` (default:
 * one the OS picks). fauxqs's own `startFauxqs` listens on every interface, so this
 * builds its app and listens itself. Its state is in memory and goes away on stop().
 */
export async function startSqs(options: { port?: number; logger?: boolean } = {}): Promise<LocalSqs> {
  const app = buildApp({ logger: options.logger ?? false });
  await app.listen({ port: options.port ?? 0, host: LOOPBACK });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('fauxqs: could not read its listening port');
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${LOOPBACK}:${address.port}`,
    port: address.port,
    stop: () => (stopped ??= app.close()),
  };
}

/**
 * The URL of queue `name` on the emulator at `endpoint`. fauxqs's own URLs may use
 * a `sqs.REGION.HOST` name that does not resolve here; this one always does.
 */
export function queueUrl(endpoint: string, name: string): string {
  return `${endpoint.replace(/\/+$/, '')}/${LOCAL_ACCOUNT_ID}/${name}`;
}

/** The ARN of local queue `name` (e.g. for a RedrivePolicy's deadLetterTargetArn). */
export function queueArn(name: string): string {
  return `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${name}`;
}

/** The queue name at the end of a queue URL. */
export function queueNameFromUrl(url: string): string {
  const name = new URL(url).pathname.split('/').filter(Boolean).pop();
  if (!name) throw new Error(`not a queue URL: ${url}`);
  return name;
}

/**
 * Creates the queues in order (so a dead-letter queue listed first can be named in a
 * later queue's RedrivePolicy). A queue that exists keeps its messages and gets the
 * given attributes. Returns each queue's URL by name.
 */
export async function ensureQueues(endpoint: string, defs: QueueDef[]): Promise<Record<string, string>> {
  const sqs = new SQSClient(localClientConfig(endpoint));
  const urls: Record<string, string> = {};
  try {
    for (const def of defs) {
      const url = queueUrl(endpoint, def.name);
      try {
        await sqs.send(new CreateQueueCommand({ QueueName: def.name, Attributes: def.attributes }));
      } catch (err) {
        if (!isQueueExists(err)) throw err;
        // Exists with other attributes: bring them in line.
        if (def.attributes && Object.keys(def.attributes).length > 0) {
          await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: def.attributes }));
        }
      }
      // Proves the URL we hand out works.
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
      urls[def.name] = url;
    }
  } finally {
    sqs.destroy();
  }
  return urls;
}

function isQueueExists(err: unknown): boolean {
  const e = (err ?? {}) as { name?: unknown; Code?: unknown; __type?: unknown };
  return /QueueNameExists|QueueAlreadyExists/.test(`${String(e.name)} ${String(e.Code)} ${String(e.__type)}`);
}
