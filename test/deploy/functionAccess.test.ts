/**
 * The IAM roles are generated from lib/deploy/functionAccess.ts and storeActions.ts.
 * These tests hold those tables to the code: each function's grants equal what its
 * handler's bundle calls, and each store method's actions equal the DynamoDB
 * commands in its body. Adding a route or a store call without updating the
 * tables fails here, before a deployment fails with AccessDenied.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { FUNCTION_ACCESS, WORKER_ACCESS, type FunctionAccess } from '../../lib/deploy/functionAccess.js';
import { dynamoGrants } from '../../lib/deploy/functionRole.js';
import { functions, workerFunctionName } from '../../lib/deploy/serviceDefinition.js';
import { GROUP_STORE_ACTIONS, JOB_STORE_ACTIONS, type DynamoGrant } from '../../lib/deploy/storeActions.js';
import { LEASE_INDEX, PENDING_INDEX, RECENT_INDEX } from '../../lib/jobs/jobTable.js';
import { handlerCalls } from '../support/handlerCalls.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = parseConfig('[queues.a]\n[queues.b]\n[notify]\nsns = true\n', 'test', {});
const fns = functions(config) as Record<string, { handler: string }>;
const workers = new Set(Object.keys(config.queues).map(workerFunctionName));
const grantKeys = (grants: DynamoGrant[]) => grants.map((g) => `${g.action}${g.index ? ` on index ${g.index}` : ''}`).sort();

describe('each function is granted exactly what its handler calls', () => {
  it.each(Object.entries(fns))('%s', async (key, fn) => {
    const entry = `${fn.handler.replace(/\.[^.]+$/, '')}.ts`;
    const calls = await handlerCalls(ROOT, entry);
    const unknown = [
      ...calls.jobs.filter((m) => !(m in JOB_STORE_ACTIONS)).map((m) => `store.${m}`),
      ...calls.groups.filter((m) => !(m in GROUP_STORE_ACTIONS)).map((m) => `groups.${m}`),
    ];
    expect(unknown, 'calls on `store`/`groups` that are not JobStore/GroupStore methods').toEqual([]);
    const found: FunctionAccess = {
      jobs: calls.jobs as FunctionAccess['jobs'],
      groups: calls.groups as FunctionAccess['groups'],
      sends: calls.queue.includes('send'),
      databases: calls.databases,
      announces: calls.notify.includes('announce'),
      reuses: calls.reuse.length > 0,
    };
    const declared = workers.has(key) ? WORKER_ACCESS : FUNCTION_ACCESS[key];
    expect(declared, `FUNCTION_ACCESS has no entry for ${key}`).toBeDefined();
    expect(grantKeys(dynamoGrants(declared!))).toEqual(grantKeys(dynamoGrants(found)));
    expect(Boolean(declared!.sends), 'sends job messages').toBe(found.sends);
    expect(Boolean(declared!.databases), 'uses databases').toBe(found.databases);
    expect(Boolean(declared!.readsQueueCounts), 'reads queue counts').toBe(calls.queue.includes('counts'));
    expect(Boolean(declared!.announces), 'announces final writes (completion events)').toBe(found.announces);
    expect(Boolean(declared!.reuses), 'reads and writes result reuse pointers').toBe(found.reuses);

    // Nothing else talks to AWS behind the tables' back.
    const sdkUsers = calls.modules.filter((file) => /^\s*import\s+(?!type\b)[^;]*from\s+'@aws-sdk\//m.test(readFileSync(path.join(ROOT, file), 'utf8')));
    expect(sdkUsers.filter((f) => !['lib/jobs/jobStore.ts', 'lib/groups/groupStore.ts', 'lib/jobs/jobQueue.ts'].includes(f) && !f.startsWith('lib/aws/'))).toEqual([]);
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
  const indexName = index ? ({ PENDING_INDEX, LEASE_INDEX, RECENT_INDEX } as Record<string, string>)[index] ?? index : index;
  const out: string[] = [];
  const COMMANDS: Record<string, string> = { Put: 'PutItem', Get: 'GetItem', Update: 'UpdateItem', Delete: 'DeleteItem', BatchGet: 'BatchGetItem' };
  for (const [, command] of body.matchAll(/new (\w+)Command\(/g)) {
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
  ] as const;
  for (const [file, table] of stores) {
    const source = readFileSync(path.join(ROOT, file), 'utf8');
    it.each(Object.entries(table as Record<string, DynamoGrant[]>))(`${file}: %s`, (method, grants) => {
      expect(grantKeys(grants)).toEqual(methodActions(source, method));
    });
  }
});
