import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Settings } from '../settings.js';

export interface AwsClients {
  ddb: DynamoDBDocumentClient;
  sqs: SQSClient;
}

/** SDK clients for the configured region, pointed at local endpoints when set. */
export function createAwsClients(settings: Settings): AwsClients {
  // Local endpoints accept any credentials; AWS uses the function's role.
  const local = { accessKeyId: 'local', secretAccessKey: 'local' };
  const ddb = new DynamoDBClient({
    region: settings.region,
    ...(settings.dynamodbEndpoint ? { endpoint: settings.dynamodbEndpoint, credentials: local } : {}),
  });
  const sqs = new SQSClient({
    region: settings.region,
    ...(settings.sqsEndpoint ? { endpoint: settings.sqsEndpoint, credentials: local } : {}),
  });
  return {
    ddb: DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } }),
    sqs,
  };
}
