import { notifyEnabled } from '../config/notifyConfig.js';
import type { Config, SecretRef } from '../config/types.js';
import { arn, getAtt, serviceHost, type Cfn, type Statement } from './cfn.js';
import type { FunctionAccess } from './functionAccess.js';
import { NOTIFY_DEAD_LETTER_ID, NOTIFY_QUEUE_ID, NOTIFY_TOPIC_ID } from './notifyResources.js';
import {
  EVENT_SINK_ACTIONS,
  GROUP_STORE_ACTIONS,
  JOB_QUEUE_ACTIONS,
  JOB_STORE_ACTIONS,
  NOTIFY_QUEUE_ACTIONS,
  REUSE_POINTER_ACTIONS,
  EXPORT_STORE_ACTIONS,
  DELIVERY_RECORD_ACTIONS,
  SCHEDULE_STORE_ACTIONS,
  type DynamoGrant,
  type GrantTarget,
  type ResourceGrant,
} from './storeActions.js';

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
  for (const g of [
    ...(access.jobs ?? []).flatMap((m) => JOB_STORE_ACTIONS[m]),
    ...(access.groups ?? []).flatMap((m) => GROUP_STORE_ACTIONS[m]),
    ...(access.reuse ?? []).flatMap((m) => REUSE_POINTER_ACTIONS[m]),
    ...(access.schedules ?? []).flatMap((m) => SCHEDULE_STORE_ACTIONS[m]),
    ...(access.deliveries ?? []).flatMap((m) => DELIVERY_RECORD_ACTIONS[m]),
  ]) {
    grants.set(`${g.action}@${g.index ?? ''}`, g);
  }
  return [...grants.values()].sort((a, b) => `${a.action}@${a.index ?? ''}`.localeCompare(`${b.action}@${b.index ?? ''}`));
}

/** The S3 actions of an access entry on the export bucket, deduplicated and sorted. */
export function exportActions(access: FunctionAccess): string[] {
  return [...new Set((access.exports ?? []).flatMap((m) => EXPORT_STORE_ACTIONS[m].map((g) => g.action)))].sort();
}

/**
 * The export bucket's statements: object actions on `<bucket>/<prefix>*` only, and
 * listing on the bucket only for keys under the prefix. None without `[export]`.
 */
function exportStatements(access: FunctionAccess, config: Config): Statement[] {
  const exp = config.export;
  const actions = exportActions(access);
  if (!exp || actions.length === 0) return [];
  const bucket = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${exp.bucket}`]] };
  const objects = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${exp.bucket}/${exp.prefix}*`]] };
  const out: Statement[] = [];
  const onObjects = actions.filter((a) => a !== 's3:ListBucket');
  if (onObjects.length > 0) out.push({ Effect: 'Allow', Action: onObjects, Resource: objects });
  if (actions.includes('s3:ListBucket')) out.push({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: bucket, Condition: { StringLike: { 's3:prefix': `${exp.prefix}*` } } });
  return out;
}

/** The queue, topic and event bus grants of an access entry (see dynamoGrants). */
export function resourceGrants(access: FunctionAccess): ResourceGrant[] {
  const grants = new Map<string, ResourceGrant>();
  for (const g of [
    ...(access.queue ?? []).flatMap((m) => JOB_QUEUE_ACTIONS[m]),
    ...(access.notify ?? []).flatMap((m) => NOTIFY_QUEUE_ACTIONS[m]),
    ...(access.sinks ?? []).flatMap((m) => EVENT_SINK_ACTIONS[m]),
  ]) {
    grants.set(`${g.action}@${g.on}`, g);
  }
  const key = (g: ResourceGrant) => `${TARGET_ORDER.indexOf(g.on)}@${g.action}`;
  return [...grants.values()].sort((a, b) => key(a).localeCompare(key(b)));
}

/** Statements come out in this order of their targets (a stable template). */
const TARGET_ORDER: readonly GrantTarget[] = ['jobQueues', 'jobDeadLetters', 'notifyQueue', 'notifyDeadLetter', 'notifyTopic', 'defaultEventBus'];

/** The resources a target stands for in this stack; none when the config leaves it out. */
function targetResources(on: GrantTarget, to: RoleTargets, config: Config): Cfn[] {
  const notify = notifyEnabled(config.notify);
  switch (on) {
    case 'jobQueues':
      return to.queues.map((q) => getAtt(q));
    case 'jobDeadLetters':
      return (to.deadLetterQueues ?? []).map((q) => getAtt(q));
    case 'notifyQueue':
      return notify ? [getAtt(NOTIFY_QUEUE_ID)] : [];
    case 'notifyDeadLetter':
      return notify ? [getAtt(NOTIFY_DEAD_LETTER_ID)] : [];
    case 'notifyTopic':
      return notify && config.notify.sns ? [{ Ref: NOTIFY_TOPIC_ID }] : [];
    case 'defaultEventBus':
      return notify && config.notify.eventbridge ? [arn('events', 'event-bus/default')] : [];
  }
}

/** One statement per set of actions: the targets granted the same actions share it. */
function resourceStatements(grants: ResourceGrant[], to: RoleTargets, config: Config): Statement[] {
  const actionsByTarget = new Map<GrantTarget, string[]>();
  for (const g of grants) actionsByTarget.set(g.on, [...(actionsByTarget.get(g.on) ?? []), g.action]);
  const byActions = new Map<string, Statement>();
  for (const [on, actions] of actionsByTarget) {
    const resources = targetResources(on, to, config);
    if (resources.length === 0) continue;
    const key = actions.join();
    const statement = byActions.get(key);
    if (statement) (statement.Resource as Cfn[]).push(...resources);
    else byActions.set(key, { Effect: 'Allow', Action: actions, Resource: resources });
  }
  return [...byActions.values()];
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
  statements.push(...resourceStatements(resourceGrants(access), to, config));
  statements.push(...exportStatements(access, config));
  if (access.databases) statements.push(...secretStatements(config.secretRefs), ...vpcStatements(config));
  if (access.webhookSecret && config.notify.webhookSecretRef) statements.push(...secretStatements([config.notify.webhookSecretRef]));
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
