import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

/**
 * The pages of a DynamoDB Query, read one at a time as the caller asks for them,
 * following `LastEvaluatedKey` until the index has no more: a caller that has enough
 * stops iterating, and nothing more is read. `limit`, when given, sets each read's
 * `Limit` from what the caller still needs (undefined: no limit on that read).
 */
export async function* queryPages(
  ddb: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>,
  limit?: (read: number) => number | undefined,
): AsyncGenerator<QueryCommandOutput, void, undefined> {
  let start: Record<string, unknown> | undefined;
  for (let read = 0; ; read++) {
    const pageLimit = limit?.(read);
    const page = await ddb.send(new QueryCommand({ ...input, ...(start ? { ExclusiveStartKey: start } : {}), ...(pageLimit === undefined ? {} : { Limit: pageLimit }) }));
    yield page;
    start = page.LastEvaluatedKey;
    if (!start) return;
  }
}
