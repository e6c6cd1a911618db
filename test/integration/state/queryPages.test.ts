/**
 * lib/queryPages.ts against DynamoDB Local: every item once across the pages, each
 * read's Limit from the caller, and nothing read after the caller stops.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAITERS_INDEX, jobKey, jobTableDefinition } from '../../../lib/jobs/jobTable.js';
import { queryPages } from '../../../lib/queryPages.js';
import { localClientConfig } from '../../../scripts/stack/awsLocal.js';
import { ensureTable, type LocalDynamo } from '../../../scripts/stack/startDynamo.js';
import { testDynamo, uniqueTable } from '../../support/testDynamo.js';

const TABLE = uniqueTable('query-pages');
const LEADER = 'leader-run';
let dynamo: LocalDynamo;
let ddb: DynamoDBDocumentClient;
let sent: string[] = [];

beforeAll(async () => {
  dynamo = await testDynamo();
  await ensureTable(dynamo.endpoint, jobTableDefinition(TABLE));
  ddb = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)));
  ddb.middlewareStack.add((next, context) => (args) => {
    sent.push(`${context.commandName} ${String((args.input as { Limit?: number }).Limit)}`);
    return next(args);
  });
  // 25 waiters parked on one leader: the waiters index holds them under one key.
  const items = Array.from({ length: 25 }, (_, n) => ({ pk: jobKey(`w-${n}`), job_id: `w-${n}`, run_id: `r-${n}`, waits_for: LEADER }));
  for (let i = 0; i < items.length; i += 25) {
    await ddb.send(new BatchWriteCommand({ RequestItems: { [TABLE]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}, 60_000);

afterAll(async () => {
  ddb?.destroy();
  await dynamo?.stop();
});

const input = { TableName: TABLE, IndexName: WAITERS_INDEX, KeyConditionExpression: 'waits_for = :l', ExpressionAttributeValues: { ':l': LEADER } };

describe('queryPages', () => {
  it('reads every item once, page after page, with each read limited as the caller says', async () => {
    sent = [];
    const pages: QueryCommandOutput[] = [];
    for await (const page of queryPages(ddb, input, (read) => (read === 0 ? 5 : 10))) pages.push(page);
    expect(pages.map((p) => p.Items?.length)).toEqual([5, 10, 10, 0]);
    expect(new Set(pages.flatMap((p) => (p.Items ?? []).map((i) => i.job_id))).size).toBe(25);
    expect(sent).toEqual(['QueryCommand 5', 'QueryCommand 10', 'QueryCommand 10', 'QueryCommand 10']);
  });

  it('reads nothing more once the caller stops', async () => {
    sent = [];
    let seen = 0;
    for await (const page of queryPages(ddb, input, () => 4)) {
      seen += page.Items?.length ?? 0;
      if (seen >= 6) break;
    }
    expect(seen).toBe(8);
    expect(sent).toEqual(['QueryCommand 4', 'QueryCommand 4']);
  });

  it('reads to the end without a limit', async () => {
    sent = [];
    let seen = 0;
    for await (const page of queryPages(ddb, input)) seen += page.Items?.length ?? 0;
    expect(seen).toBe(25);
    expect(sent).toEqual(['QueryCommand undefined']);
  });
});
