/**
 * A queue's workers for the benches, without the local stack's HTTP hops: `pollers`
 * loops receive the queue's real messages (fauxqs) and hand each to the product's
 * runJob, as the Lambda worker does, counting every invocation by what it did.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { queueUrl } from '../lib/app.js';
import type { DbPools } from '../lib/db/createDbPools.js';
import { parseJobMessage } from '../lib/jobs/parseJobMessage.js';
import { runJob } from '../lib/lifecycle/runJob.js';
import { localClientConfig } from '../scripts/stack/awsLocal.js';
import type { HandlerWorld } from '../test/support/handlerWorld.js';

export interface WorkerLoop {
  /** Invocations so far, by outcome (`hop`, `wait`, `success`, ...). */
  readonly outcomes: Map<string, number>;
  invocations(): number;
  stop(): Promise<void>;
}

export function startWorkers(world: HandlerWorld, pools: DbPools, queue: string, pollers: number): WorkerLoop {
  const app = world.app;
  const sqs = new SQSClient(localClientConfig(app.settings.sqsEndpoint!));
  const url = queueUrl(app.settings, queue);
  const outcomes = new Map<string, number>();
  let running = true;
  const loop = async () => {
    while (running) {
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 1, VisibilityTimeout: 120 })).catch(() => ({ Messages: [] }));
      for (const m of got.Messages ?? []) {
        const outcome = await runJob({ ...app, pools, log: { info: () => undefined, warn: () => undefined } }, parseJobMessage(m.Body ?? ''), 120_000).catch(() => 'error');
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
      }
    }
  };
  const loops = Array.from({ length: pollers }, loop);
  return {
    outcomes,
    invocations: () => [...outcomes.values()].reduce((a, b) => a + b, 0),
    async stop() {
      running = false;
      await Promise.all(loops);
      sqs.destroy();
    },
  };
}

/** The median and the spread (min..max) of some figures. */
export function median(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return { median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, min: s[0]!, max: s[s.length - 1]! };
}
