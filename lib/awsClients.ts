import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Settings } from './settings.js';

export interface AwsClients {
  ddb: DynamoDBDocumentClient;
  sqs: SQSClient;
}

/**
 * Whether this process runs in the local stack (`npm start`, the tests): its
 * DynamoDB and SQS are emulators, and nothing may call AWS itself.
 *
 * @throws Error when only one of the two local endpoints is set: the other client
 *   would go to AWS, with whatever credentials the shell holds.
 */
export function isLocalRun(settings: Pick<Settings, 'dynamodbEndpoint' | 'sqsEndpoint'>): boolean {
  const ddb = Boolean(settings.dynamodbEndpoint);
  const sqs = Boolean(settings.sqsEndpoint);
  if (ddb !== sqs) {
    throw new Error(
      'SQL_JOBBER_DYNAMODB_ENDPOINT and SQL_JOBBER_SQS_ENDPOINT are set together or not at all: ' +
        'a local run points every client at the emulators and never calls AWS',
    );
  }
  return ddb;
}

/** SDK clients for the configured region, or, in a local run, for the emulators only. */
export function createAwsClients(settings: Settings): AwsClients {
  // Local endpoints accept any credentials; AWS uses the function's role.
  const local = isLocalRun(settings) ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : undefined;
  const ddb = new DynamoDBClient({
    region: settings.region,
    ...(local ? { ...local, endpoint: settings.dynamodbEndpoint } : {}),
  });
  const sqs = new SQSClient({
    region: settings.region,
    ...(local ? { ...local, endpoint: settings.sqsEndpoint } : {}),
  });
  return {
    ddb: DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } }),
    sqs,
  };
}
