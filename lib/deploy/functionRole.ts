import type { Config, SecretRef } from '../config/types.js';
import { arn, getAtt, serviceHost, type Cfn, type Statement } from './cfn.js';
import type { FunctionAccess } from './functionAccess.js';
import { announceStatements, deliveryStatements } from './notifyResources.js';
import { GROUP_STORE_ACTIONS, JOB_STORE_ACTIONS, type DynamoGrant } from './storeActions.js';

/** Where a function's role points: the names CloudFormation knows this stack's resources by. */
export interface RoleTargets {
  /** Physical function name (its log group is /aws/lambda/<name>). */
  functionName: string;
  /** Logical ID of the jobs table. */
  table: string;
  /** Logical IDs of every job queue (a sender may send to any). */
  queues: string[];
  /** A worker's own queue (logical ID): the one its event source receives from. */
  ownQueue?: string;
  /** Logical IDs of every dead-letter queue. */
  deadLetterQueues?: string[];
}

/** The DynamoDB grants of an access entry, deduplicated, in a stable order. */
export function dynamoGrants(access: FunctionAccess): DynamoGrant[] {
  const grants = new Map<string, DynamoGrant>();
  for (const g of [...(access.jobs ?? []).flatMap((m) => JOB_STORE_ACTIONS[m]), ...(access.groups ?? []).flatMap((m) => GROUP_STORE_ACTIONS[m])]) {
    grants.set(`${g.action}@${g.index ?? ''}`, g);
  }
  return [...grants.values()].sort((a, b) => `${a.action}@${a.index ?? ''}`.localeCompare(`${b.action}@${b.index ?? ''}`));
}

/** The ARN of a parameter or secret a reference names (a reference may give the ARN itself). */
export function secretArn(ref: SecretRef): Cfn {
  if (ref.name.startsWith('arn:')) return ref.name;
  if (ref.source === 'ssm') return arn('ssm', `parameter${ref.name.startsWith('/') ? '' : '/'}${ref.name}`);
  // Secrets Manager appends "-" and six random characters to a secret's name in its ARN.
  return arn('secretsmanager', `secret:${ref.name}-??????`);
}

/**
 * The IAM policy statements of one function, least privilege: only the actions
 * its code uses (see FunctionAccess), each on the resources it uses them on.
 */
export function roleStatements(access: FunctionAccess, to: RoleTargets, config: Config): Statement[] {
  const statements: Statement[] = [
    {
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: arn('logs', `log-group:/aws/lambda/${to.functionName}:*`),
    },
  ];
  const grants = dynamoGrants(access);
  const onTable: string[] = grants.filter((g) => g.index === undefined).map((g) => g.action);
  if (access.reuses) for (const a of ['dynamodb:GetItem', 'dynamodb:PutItem']) if (!onTable.includes(a)) onTable.push(a);
  if (onTable.length > 0) statements.push({ Effect: 'Allow', Action: onTable, Resource: getAtt(to.table) });
  const byIndex = new Map<string, string[]>();
  for (const g of grants) if (g.index !== undefined) byIndex.set(g.index, [...(byIndex.get(g.index) ?? []), g.action]);
  for (const [index, actions] of byIndex) {
    statements.push({ Effect: 'Allow', Action: actions, Resource: { 'Fn::Join': ['/', [getAtt(to.table), 'index', index]] } });
  }
  if (to.ownQueue !== undefined) {
    // The event source mapping polls with the function's role.
    statements.push({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: getAtt(to.ownQueue) });
  }
  if (access.readsDeadLetters && to.deadLetterQueues?.length) {
    // ChangeMessageVisibility: a sweep shows again what it read (see lib/jobs/sweepDeadLetters.ts).
    statements.push({ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility'], Resource: to.deadLetterQueues.map((q) => getAtt(q)) });
  }
  if (access.readsQueueCounts && to.queues.length > 0) {
    const all = [...to.queues, ...(to.deadLetterQueues ?? [])];
    statements.push({ Effect: 'Allow', Action: ['sqs:GetQueueAttributes'], Resource: all.map((q) => getAtt(q)) });
  }
  if (access.sends && to.queues.length > 0) statements.push({ Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: to.queues.map((q) => getAtt(q)) });
  if (access.databases) statements.push(...secretStatements(config.secretRefs), ...vpcStatements(config));
  if (access.announces) statements.push(...announceStatements(config));
  if (access.delivers) {
    statements.push(...deliveryStatements(config));
    if (config.notify.webhookSecretRef) statements.push(...secretStatements([config.notify.webhookSecretRef]));
  }
  return statements;
}

function secretStatements(refs: readonly SecretRef[]): Statement[] {
  const ssm = refs.filter((r) => r.source === 'ssm');
  const secrets = refs.filter((r) => r.source === 'secretsmanager');
  const out: Statement[] = [];
  if (ssm.length > 0) out.push({ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: unique(ssm).map(secretArn) });
  if (secrets.length > 0) out.push({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: unique(secrets).map(secretArn) });
  if (out.length > 0) {
    // Customer-managed KMS keys (SecureString parameters, secrets): decrypt only on behalf of those
    // services; the key's ID is not in config.toml, so it is any key of this account and region.
    const via = [...(ssm.length ? [serviceHost('ssm')] : []), ...(secrets.length ? [serviceHost('secretsmanager')] : [])];
    out.push({ Effect: 'Allow', Action: ['kms:Decrypt'], Resource: arn('kms', 'key/*'), Condition: { StringEquals: { 'kms:ViaService': via } } });
  }
  return out;
}

function unique(refs: SecretRef[]): SecretRef[] {
  const byName = new Map(refs.map((r) => [r.name, r]));
  return [...byName.values()];
}

/**
 * Network interfaces of a function in a VPC (what AWS's AWSLambdaVPCAccessExecutionRole
 * grants). EC2's Describe actions have no resource-level permissions, and Lambda
 * checks these with `*` when it creates the function, so they cannot be narrowed.
 */
function vpcStatements(config: Config): Statement[] {
  if (!config.aws.vpc) return [];
  return [
    {
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:DescribeSubnets',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: '*',
    },
  ];
}

/** The AWS::IAM::Role resource of one function. */
export function functionRole(statements: Statement[], policyName: string) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
      },
      Policies: [{ PolicyName: policyName, PolicyDocument: { Version: '2012-10-17', Statement: statements } }],
    },
  };
}
