/**
 * The IAM roles are generated from lib/deploy/functionAccess.ts and storeActions.ts.
 * These tests hold those tables to the code: each function's grants equal what its
 * handler's bundle calls, and each store method's actions equal the SDK commands
 * in its body (DynamoDB, SQS, SNS, EventBridge). Adding a route or a store call without updating the
 * tables fails here, before a deployment fails with AccessDenied.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { FUNCTION_ACCESS, WORKER_ACCESS, type FunctionAccess } from '../../lib/deploy/functionAccess.js';
import { dynamoGrants, exportActions, resourceGrants } from '../../lib/deploy/functionRole.js';
import { functions, workerFunctionName } from '../../lib/deploy/serviceDefinition.js';
import {
  EVENT_SINK_ACTIONS,
  GROUP_STORE_ACTIONS,
  JOB_QUEUE_ACTIONS,
  JOB_STORE_ACTIONS,
  NOTIFY_QUEUE_ACTIONS,
  REUSE_POINTER_ACTIONS,
  EXPORT_STORE_ACTIONS,
  SCHEDULE_STORE_ACTIONS,
  DELIVERY_RECORD_ACTIONS,
  type DynamoGrant,
  type ResourceGrant,
} from '../../lib/deploy/storeActions.js';
import { LEASE_INDEX, ORPHANS_INDEX, PENDING_INDEX, RECENT_INDEX, SCHEDULE_INDEX, WAITERS_INDEX } from '../../lib/jobs/jobTable.js';
import { ADMISSION_INDEX } from '../../lib/jobs/admission.js';
import { handlerCalls } from '../support/handlerCalls.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = parseConfig('[queues.a]\n[queues.b]\n[notify]\nsns = true\n', 'test', {});
const fns = functions(config) as Record<string, { handler: string }>;
const workers = new Set(Object.keys(config.queues).map(workerFunctionName));
const grantKeys = (grants: DynamoGrant[]) => grants.map((g) => `${g.action}${g.index ? ` on index ${g.index}` : ''}`).sort();
const resourceKeys = (grants: ResourceGrant[]) => grants.map((g) => `${g.action} on ${g.on}`).sort();

/** The modules that may import the AWS SDK: the stores above, the clients' construction, and the DynamoDB error classes. */
const SDK_MODULES = [
  'lib/jobs/jobStore.ts',
  'lib/groups/groupStore.ts',
  'lib/jobs/jobQueue.ts',
  'lib/reuse/reusePointers.ts',
  'lib/schedules/scheduleStore.ts',
  'lib/notify/deliveryRecords.ts',
  'lib/notify/notifyQueue.ts',
  'lib/notify/eventSinks.ts',
  'lib/awsClients.ts',
  'lib/retryConflicts.ts',
  'lib/queryPages.ts',
  'lib/export/exportStore.ts',
];

describe('each function is granted exactly what its handler calls', () => {
  it.each(Object.entries(fns))('%s', async (key, fn) => {
    const entry = `${fn.handler.replace(/\.[^.]+$/, '')}.ts`;
    const calls = await handlerCalls(ROOT, entry);
    const unknown = [
      ...calls.jobs.filter((m) => !(m in JOB_STORE_ACTIONS)).map((m) => `store.${m}`),
      ...calls.groups.filter((m) => !(m in GROUP_STORE_ACTIONS)).map((m) => `groups.${m}`),
      ...calls.queue.filter((m) => !(m in JOB_QUEUE_ACTIONS)).map((m) => `queue.${m}`),
      ...calls.reuse.filter((m) => !(m in REUSE_POINTER_ACTIONS)).map((m) => `reuse.${m}`),
      ...calls.schedules.filter((m) => !(m in SCHEDULE_STORE_ACTIONS)).map((m) => `schedules.${m}`),
      ...calls.deliveries.filter((m) => !(m in DELIVERY_RECORD_ACTIONS)).map((m) => `deliveries.${m}`),
      ...calls.notify.filter((m) => !(m in NOTIFY_QUEUE_ACTIONS)).map((m) => `notify.${m}`),
      ...calls.sinks.filter((m) => !(m in EVENT_SINK_ACTIONS)).map((m) => `sinks.${m}`),
      ...calls.exports.filter((m) => !(m in EXPORT_STORE_ACTIONS)).map((m) => `exportStore.${m}`),
    ];
    expect(unknown, 'calls on a store name that are not methods of that store').toEqual([]);
    const found: FunctionAccess = {
      jobs: calls.jobs as FunctionAccess['jobs'],
      groups: calls.groups as FunctionAccess['groups'],
      queue: calls.queue as FunctionAccess['queue'],
      reuse: calls.reuse as FunctionAccess['reuse'],
      schedules: calls.schedules as FunctionAccess['schedules'],
      deliveries: calls.deliveries as FunctionAccess['deliveries'],
      notify: calls.notify as FunctionAccess['notify'],
      sinks: calls.sinks as FunctionAccess['sinks'],
      exports: calls.exports as FunctionAccess['exports'],
    };
    const declared = workers.has(key) ? WORKER_ACCESS : FUNCTION_ACCESS[key];
    expect(declared, `FUNCTION_ACCESS has no entry for ${key}`).toBeDefined();
    expect(grantKeys(dynamoGrants(declared!)), 'DynamoDB').toEqual(grantKeys(dynamoGrants(found)));
    expect(resourceKeys(resourceGrants(declared!)), 'queues, topic, event bus').toEqual(resourceKeys(resourceGrants(found)));
    expect(exportActions(declared!), 'export bucket').toEqual(exportActions(found));
    expect(Boolean(declared!.databases), 'uses databases').toBe(calls.databases);
    expect(Boolean(declared!.webhookSecret), 'reads the webhook secret').toBe(calls.modules.includes('lib/notify/webhookSecret.ts'));

    // Nothing else talks to AWS behind the tables' back.
    const sdkUsers = calls.modules.filter((file) => /^\s*import\s+(?!type\b)[^;]*from\s+'@aws-sdk\//m.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(sdkUsers.filter((f) => !SDK_MODULES.includes(f))).toEqual([]);
  });

  it('lists no function that does not exist', () => {
    expect(Object.keys(FUNCTION_ACCESS).filter((key) => !(key in fns))).toEqual([]);
  });
});

/** The DynamoDB actions in a store method's body, following calls to its private helpers. */
function methodActions(source: string, method: string, seen = new Set<string>()): string[] {
  if (seen.has(method)) return [];
  seen.add(method);
  const start = new RegExp(`^  (?:private |public )?(?:async )?${method}\\(`, 'm').exec(source);
  if (!start) throw new Error(`no method ${method}`);
  const rest = source.slice(start.index + start[0].length);
  const end = /^ {2}(?:\/\*\*|(?:private |public )?(?:async )?\w+\()|^}/m.exec(rest);
  const body = rest.slice(0, end ? end.index : undefined);
  const index = /IndexName: (\w+)/.exec(body)?.[1];
  const indexName = index ? ({ PENDING_INDEX, LEASE_INDEX, RECENT_INDEX, ADMISSION_INDEX, SCHEDULE_INDEX, WAITERS_INDEX, ORPHANS_INDEX } as Record<string, string>)[index] ?? index : index;
  const out: string[] = [];
  const COMMANDS: Record<string, string> = { Put: 'PutItem', Get: 'GetItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem' };
  // queryPages(...) (lib/queryPages.ts) is a Query, page after page.
  for (const [, command = 'Query'] of body.matchAll(/new (\w+)Command\(|\bqueryPages\(/g)) {
    if (command === 'Query') out.push(`dynamodb:Query on index ${indexName}`);
    else if (command === 'TransactWrite') {
      for (const [, op] of body.matchAll(/\b(Put|Update|Delete|ConditionCheck):/g)) out.push(`dynamodb:${op === 'ConditionCheck' ? 'ConditionCheckItem' : COMMANDS[op!]}`);
    } else out.push(`dynamodb:${COMMANDS[command!] ?? command}`);
  }
  for (const [, helper] of body.matchAll(/this\.(\w+)\(/g)) out.push(...methodActions(source, helper!, seen));
  return [...new Set(out)].sort();
}

describe('each store method is mapped to the DynamoDB actions in its code', () => {
  const stores = [
    ['lib/jobs/jobStore.ts', JOB_STORE_ACTIONS],
    ['lib/groups/groupStore.ts', GROUP_STORE_ACTIONS],
    ['lib/reuse/reusePointers.ts', REUSE_POINTER_ACTIONS],
    ['lib/schedules/scheduleStore.ts', SCHEDULE_STORE_ACTIONS],
    ['lib/notify/deliveryRecords.ts', DELIVERY_RECORD_ACTIONS],
  ] as const;
  for (const [file, table] of stores) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    it.each(Object.entries(table as Record<string, DynamoGrant[]>))(`${file}: %s`, (method, grants) => {
      expect(grantKeys(grants)).toEqual(methodActions(source, method));
    });
  }
});

/** A method's body: from its signature to the next member (see methodActions). */
function methodBody(source: string, method: string): string {
  const start = new RegExp(`^  (?:private |public )?(?:async )?${method}(?:<[^>]*>)?\\(`, 'm').exec(source);
  if (!start) throw new Error(`no method ${method}`);
  const rest = source.slice(start.index + start[0].length);
  const end = /^ {2}(?:\/\*\*|(?:private |public )?(?:async )?\w+(?:<[^>]*>)?\()|^}/m.exec(rest);
  return rest.slice(0, end ? end.index : undefined);
}

/**
 * The SQS actions in a queue method's body, each on the targets whose URL the body
 * names (`targets` maps a URL expression to its target). A private helper called
 * from a body that names URLs works on those (`this.attributes(url, ...)`); one
 * called from a body that names none brings its own (`announce` sends through `send`).
 */
function queueMethodGrants(source: string, method: string, targets: readonly (readonly [RegExp, string])[]): string[] {
  const { on, actions, helpers } = queueMethod(source, method, targets);
  const out = actions.flatMap((a) => on.map((t) => `${a} on ${t}`));
  for (const helper of helpers) {
    out.push(...(on.length > 0 ? allActions(source, helper, targets).flatMap((a) => on.map((t) => `${a} on ${t}`)) : queueMethodGrants(source, helper, targets)));
  }
  return [...new Set(out)].sort();
}

const SQS_ACTIONS: Record<string, string> = {
  SendMessage: 'sqs:SendMessage',
  ReceiveMessage: 'sqs:ReceiveMessage',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
  GetQueueAttributes: 'sqs:GetQueueAttributes',
};

/** A queue method's own SQS actions, the targets its body names, and the private helpers it calls. */
function queueMethod(source: string, method: string, targets: readonly (readonly [RegExp, string])[]) {
  const body = methodBody(source, method);
  return {
    on: targets.filter(([pattern]) => pattern.test(body)).map(([, target]) => target),
    actions: [...body.matchAll(/new (\w+)Command\(/g)].map(([, c]) => SQS_ACTIONS[c!] ?? `unknown ${c}`),
    helpers: [...body.matchAll(/this\.(\w+)\(/g)].map(([, h]) => h!).filter((h) => h !== 'urlFor' && h !== method),
  };
}

/** The SQS actions of a method and the helpers it calls, wherever they go. */
function allActions(source: string, method: string, targets: readonly (readonly [RegExp, string])[]): string[] {
  const { actions, helpers } = queueMethod(source, method, targets);
  return [...actions, ...helpers.flatMap((h) => allActions(source, h, targets))];
}

describe('each queue method is mapped to the SQS actions in its code, on the queues it names', () => {
  const queues = [
    [
      'lib/jobs/jobQueue.ts',
      JOB_QUEUE_ACTIONS,
      [
        [/this\.urlFor\(queue\)(?!\}\$\{DEAD_LETTER_SUFFIX\})/, 'jobQueues'],
        [/this\.urlFor\(queue\)\}\$\{DEAD_LETTER_SUFFIX\}/, 'jobDeadLetters'],
      ],
    ],
    [
      'lib/notify/notifyQueue.ts',
      NOTIFY_QUEUE_ACTIONS,
      [
        [/this\.url\b/, 'notifyQueue'],
        [/this\.deadLetterUrl\b/, 'notifyDeadLetter'],
      ],
    ],
  ] as const;
  for (const [file, table, targets] of queues) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    it.each(Object.entries(table as Record<string, ResourceGrant[]>))(`${file}: %s`, (method, grants) => {
      const found = queueMethodGrants(source, method, targets);
      expect(resourceKeys(grants)).toEqual(found);
    });
  }
});

describe('each event sink is mapped to the action its client sends', () => {
  const source = readFileSync(path.join(ROOT, 'lib/notify/eventSinks.ts'), 'utf8');
  const COMMANDS: Record<string, string> = { Publish: 'sns:Publish', PutEvents: 'events:PutEvents' };
  it.each(Object.entries(EVENT_SINK_ACTIONS))('%s', (sink, grants) => {
    // Each sink is built in its own `if (opts.<sink>)` block of createEventSinks.
    const block = new RegExp(`if \\(opts\\.${sink}\\b[\\s\\S]*?\\n  \\}\\n`).exec(source)?.[0];
    expect(block, `no block for ${sink}`).toBeDefined();
    const actions = [...block!.matchAll(/new (\w+)Command\(/g)].map(([, c]) => COMMANDS[c!] ?? `unknown ${c}`);
    expect(grants.map((g) => g.action).sort()).toEqual([...new Set(actions)].sort());
  });
});

describe('each export store method is mapped to the S3 actions its code sends', () => {
  const source = readFileSync(path.join(ROOT, 'lib/export/exportStore.ts'), 'utf8');
  const COMMANDS: Record<string, string[]> = {
    PutObject: ['s3:PutObject'],
    GetObject: ['s3:GetObject'],
    ListObjectsV2: ['s3:ListBucket'],
    DeleteObjects: ['s3:DeleteObject'],
    // A multipart upload is authorised as PutObject; stopping one has its own action.
    CreateMultipartUpload: ['s3:PutObject'],
    UploadPart: ['s3:PutObject'],
    CompleteMultipartUpload: ['s3:PutObject'],
    AbortMultipartUpload: ['s3:AbortMultipartUpload'],
  };
  it.each(Object.entries(EXPORT_STORE_ACTIONS).filter(([m]) => m !== 'config'))('%s', (method, grants) => {
    const body = methodBody(source, method);
    const found = [...body.matchAll(/new (?:sdk\.)?(\w+?)(?:Command)?\(/g)].flatMap(([, c]) => COMMANDS[c!] ?? []);
    expect(grants.map((g) => g.action).sort()).toEqual([...new Set(found)].sort());
  });
});
