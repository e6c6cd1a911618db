/**
 * `serverless package`, offline, with `[notify]` (a webhook whose secret is in SSM,
 * SNS and EventBridge): the completion events' queue, dead-letter queue and alarm,
 * topic and delivery function are in the template, and each role gets only its part.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageService, type PackageOutput } from '../support/packageService.js';

const STAGE = 'test';
const PREFIX = `sql-jobber-${STAGE}-`;
const CONFIG = `
[db.sales]
type = "postgres"
dsn = "postgres://report:\${ssm:/sqljobber/test/sales-password}@sales.internal:5432/sales"

[results.res]
type = "postgres"
dsn = "postgres://report:\${ssm:/sqljobber/test/sales-password}@results.internal:5432/res"

[queues.reports]
concurrency = 5
timeout = 300

[aws]
alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:sqljobber-alarms"

[notify]
webhooks = ["https://hooks.example.com/sqljobber", "https://other.example.net/in"]
webhook_secret = "\${ssm:/sqljobber/test/webhook-secret}"
sns = true
eventbridge = true
`;
const TASKS = { 't.sql': '-- name: ping\n-- db: sales\n-- queue: reports\nSELECT 1 AS one;\n' };

type Resource = { Type: string; Properties?: any };
let pkg: PackageOutput;
let literal: PackageOutput;
let resources: Record<string, Resource>;

const lambdas = () =>
  new Map(
    Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => [String(r.Properties.FunctionName).slice(PREFIX.length), { id, ...r }]),
  );
const roleOf = (fn: string) => {
  const role = lambdas().get(fn)!.Properties.Role;
  return resources[role['Fn::GetAtt'][0]]!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement) as any[];
};
const flat = (x: unknown): string => {
  if (typeof x === 'string') return x;
  const o = x as { 'Fn::Join'?: [string, unknown[]]; Ref?: string; 'Fn::GetAtt'?: string[] };
  if (o.Ref) return o.Ref.startsWith('AWS::') ? `<${o.Ref.slice(5)}>` : `Ref:${o.Ref}`;
  if (o['Fn::GetAtt']) return `GetAtt:${o['Fn::GetAtt'].join('.')}`;
  if (o['Fn::Join']) return o['Fn::Join'][1].map(flat).join(o['Fn::Join'][0]);
  return JSON.stringify(x);
};
const grants = (fn: string) => roleOf(fn).flatMap((s) => s.Action.flatMap((a: string) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r: unknown) => `${a} ${flat(r)}`)));

beforeAll(async () => {
  [pkg, literal] = await Promise.all([
    packageService({ config: CONFIG, tasks: TASKS, stage: STAGE }),
    packageService({ config: CONFIG.replace('"${ssm:/sqljobber/test/webhook-secret}"', '"a-literal-secret"'), tasks: TASKS, stage: STAGE }),
  ]);
  if (pkg.code !== 0) throw new Error(`serverless package failed:\n${pkg.output}`);
  resources = pkg.template!.Resources;
}, 180_000);

afterAll(() => {
  pkg?.remove();
  literal?.remove();
});

describe('completion events in the packaged template', () => {
  it('has the notify queue with a dead-letter queue and its alarm, and the SNS topic', () => {
    expect(resources.NotifyQueue).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { QueueName: `${PREFIX}notify`, VisibilityTimeout: 360 } });
    expect(resources.NotifyQueue!.Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': ['NotifyDeadLetter', 'Arn'] });
    expect(resources.NotifyDeadLetter).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { QueueName: `${PREFIX}notify-dlq` } });
    expect(resources.NotifyDeadLetterAlarm).toMatchObject({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { MetricName: 'ApproximateNumberOfMessagesVisible', AlarmActions: ['arn:aws:sns:us-east-1:123456789012:sqljobber-alarms'] },
    });
    expect(resources.NotifyTopic).toMatchObject({ Type: 'AWS::SNS::Topic', Properties: { TopicName: `${PREFIX}events` } });
  });

  it('runs the delivery function from the notify queue, with the topic in its environment', () => {
    const fn = lambdas().get('notify')!;
    expect(fn.Properties.Timeout).toBe(60);
    expect(fn.Properties.Environment.Variables.SQL_JOBBER_NOTIFY_TOPIC_ARN).toEqual({ Ref: 'NotifyTopic' });
    const mapping = Object.values(resources).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && flat(r.Properties.FunctionName).includes(fn.id))!;
    expect(flat(mapping.Properties.EventSourceArn)).toBe('GetAtt:NotifyQueue.Arn');
    expect(mapping.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });

  it('lets the delivery function publish to the topic and the default bus, read only the webhook secret, and reach no database', () => {
    const g = grants('notify');
    expect(g).toContain('sns:Publish Ref:NotifyTopic');
    expect(g).toContain('events:PutEvents arn:<Partition>:events:<Region>:<AccountId>:event-bus/default');
    expect(g).toContain('sqs:SendMessage GetAtt:NotifyQueue.Arn');
    expect(g).toContain('sqs:SendMessage GetAtt:NotifyDeadLetter.Arn');
    expect(g).toContain('sqs:ReceiveMessage GetAtt:NotifyQueue.Arn');
    expect(g.filter((x) => x.startsWith('ssm:GetParameter'))).toEqual(['ssm:GetParameter arn:<Partition>:ssm:<Region>:<AccountId>:parameter/sqljobber/test/webhook-secret']);
    expect(lambdas().get('notify')!.Properties.VpcConfig).toBeUndefined();
    // The webhook secret is for the delivery function alone.
    for (const fn of ['worker-reports', 'sweeper', 'cancelJob']) expect(grants(fn).some((x) => x.includes('webhook-secret')), fn).toBe(false);
  });

  it('lets the functions that make final writes announce them, and only those', () => {
    for (const fn of ['worker-reports', 'sweeper', 'cancelJob', 'cancelGroup']) expect(grants(fn), fn).toContain('sqs:SendMessage GetAtt:NotifyQueue.Arn');
    for (const fn of ['getJob', 'getGroup', 'getTasks', 'getResults', 'submitJob', 'submitGroup']) {
      expect(grants(fn).some((x) => x.includes('NotifyQueue')), fn).toBe(false);
    }
    expect(Object.keys(Object.fromEntries(lambdas())).filter((fn) => grants(fn).some((x) => x.startsWith('sns:Publish') || x.startsWith('events:')))).toEqual(['notify']);
  });

  it('refuses a literal webhook_secret for a deployment', () => {
    expect(literal.code).not.toBe(0);
    expect(literal.output).toMatch(/notify\.webhook_secret: a literal would ship/);
  });
});
