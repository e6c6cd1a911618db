/**
 * `serverless package`, offline, of a copy of the service with a test config.toml
 * (several queues, DSNs in SSM and Secrets Manager, a VPC): checks the CloudFormation
 * template and the code packages a deployment would upload.
 */
import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_ACCESS } from '../../lib/deploy/functionAccess.js';
import { WORKER_EXEC_WRAPPER } from '../../lib/deploy/serviceDefinition.js';
import { ensureConsoleBuilt } from '../support/browser.js';
import { packageService, type PackageOutput } from '../support/packageService.js';
import { readZip, zipModes } from '../support/readZip.js';

const STAGE = 'test';
const PREFIX = `sql-jobber-${STAGE}-`;
/** Stands in for a secret: it must appear nowhere in what is deployed. */
const SENTINEL = 'Sentinel-Pa55word-9f3c';

const QUEUES = { reports: { concurrency: 5, timeout: 300 }, fast: { concurrency: 1, timeout: 30 }, slow: { concurrency: 20, timeout: 900 } };

const CONFIG = `
[app]
log_level = "INFO"

[db.sales]
type = "postgres"
dsn = "postgres://report:\${ssm:/sqljobber/test/sales-password}@sales.internal:5432/sales?sslmode=require"

[db.legacy]
type = "mysql"
dsn = "\${secretsmanager:sqljobber/test/legacy-dsn}"

[results.res]
type = "postgres"
dsn = "postgres://\${secretsmanager:rds!cluster-42#username}:\${secretsmanager:rds!cluster-42#password}@results.internal:5432/res"

[queues.reports]
concurrency = 5
timeout = 300

[queues.fast]
concurrency = 1
timeout = "30s"

[queues.slow]
concurrency = 20
timeout = "15m"

[api]
cors_origins = ["https://reports.example.com"]
throttle_rate = 40
throttle_burst = 80

[aws]
alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:sqljobber-alarms"

[aws.vpc]
subnet_ids = ["subnet-0a1b2c3d", "subnet-0e4f5a6b"]
security_group_ids = ["sg-0123abcd"]
`;

const TASKS = {
  'reports.sql': `
-- name: sales_by_day
-- db: sales
-- queue: reports
SELECT day, SUM(amount) FROM sales WHERE day BETWEEN $1 AND $2 GROUP BY day;

-- name: legacy_orders
-- db: legacy
-- queue: slow
SELECT * FROM orders WHERE customer_id = ?;

-- name: ping
-- db: sales
-- queue: fast
SELECT 1 AS one;
`,
};

/** Functions that reach the databases: in the VPC, reading secrets. */
const DB_FUNCTIONS = [
  ...Object.entries(FUNCTION_ACCESS)
    .filter(([, a]) => a.databases)
    .map(([key]) => key),
  ...Object.keys(QUEUES).map((q) => `worker-${q}`),
];
const ENI_ACTIONS = [
  'ec2:AssignPrivateIpAddresses',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:UnassignPrivateIpAddresses',
];

type Resource = { Type: string; Properties?: any; DependsOn?: unknown };
let pkg: PackageOutput;
let refused: PackageOutput;
let mismatched: PackageOutput;
let resources: Record<string, Resource>;

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** Lambda functions by serverless.yml key. */
const lambdas = () => new Map(ofType('AWS::Lambda::Function').map(([id, r]) => [String(r.Properties.FunctionName).slice(PREFIX.length), { id, ...r }]));
const statementsOf = (roleId: string): any[] => resources[roleId]!.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
const asList = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);
/** A resource as text: Fn::Join and AWS pseudo parameters flattened, so an ARN reads "arn:<Partition>:kms:<Region>:<AccountId>:key/*". */
function text(x: unknown): string {
  if (typeof x === 'string') return x;
  const o = x as { 'Fn::Join'?: [string, unknown[]]; Ref?: string };
  if (o.Ref?.startsWith('AWS::')) return `<${o.Ref.slice(5)}>`;
  if (o['Fn::Join']) return o['Fn::Join'][1].map(text).join(o['Fn::Join'][0]);
  return JSON.stringify(x);
}

beforeAll(async () => {
  ensureConsoleBuilt();
  [pkg, refused, mismatched] = await Promise.all([
    packageService({ config: CONFIG, tasks: TASKS, stage: STAGE, env: { PGPASSWORD: SENTINEL, MY_DB_PASSWORD: SENTINEL } }),
    packageService({
      config: `[db.sales]\ntype = "postgres"\ndsn = "postgres://report:${SENTINEL}@sales.internal/sales"\n`,
      tasks: { 't.sql': '-- name: t\nSELECT 1;\n' },
      stage: STAGE,
    }),
    // The deploy config with the sample task files, which name the local stack's dbs.
    packageService({ config: CONFIG, tasks: { 'sample.sql': readFileSync(new URL('../../sql/sample.sql', import.meta.url), 'utf8') }, stage: STAGE }),
  ]);
  if (pkg.code !== 0) throw new Error(`serverless package failed:\n${pkg.output}`);
  resources = pkg.template!.Resources;
}, 120_000);

afterAll(() => {
  pkg?.remove();
  refused?.remove();
  mismatched?.remove();
});

describe('capacity and CORS', () => {
  it('reserves concurrency for every function: [api] reserved_concurrency for each HTTP one, the pollers of each queue for its worker', () => {
    const fns = lambdas();
    for (const [key, fn] of fns) {
      const reserved = fn.Properties.ReservedConcurrentExecutions;
      if (key.startsWith('worker-')) expect(reserved, key).toBe(Math.max(2, QUEUES[key.slice('worker-'.length) as keyof typeof QUEUES].concurrency));
      else if (key === 'sweeper' || key === 'scheduler') expect(reserved, key).toBe(2);
      else expect(reserved, key).toBe(20);
    }
  });

  it("throttles the HTTP API's default route: [api] throttle_rate and throttle_burst", () => {
    const stages = ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    expect(stages[0]![1].Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 40, ThrottlingBurstLimit: 80 });
  });

  it('allows only the listed origins, without credentials', () => {
    const api = ofType('AWS::ApiGatewayV2::Api')[0]![1];
    expect(api.Properties.CorsConfiguration).toMatchObject({ AllowOrigins: ['https://reports.example.com'] });
    expect(api.Properties.CorsConfiguration.AllowCredentials).toBeFalsy();
  });
});

describe('queues and workers', () => {
  it.each(Object.entries(QUEUES))('%s: a dead-letter queue, a capped event source reporting batch item failures, visibility >= 6x timeout', (name, q) => {
    const queue = ofType('AWS::SQS::Queue').find(([, r]) => r.Properties.QueueName === `${PREFIX}${name}`);
    const dlq = ofType('AWS::SQS::Queue').find(([, r]) => r.Properties.QueueName === `${PREFIX}${name}-dlq`);
    expect(queue && dlq).toBeTruthy();
    expect(queue![1].Properties.RedrivePolicy.deadLetterTargetArn).toEqual({ 'Fn::GetAtt': [dlq![0], 'Arn'] });
    expect(queue![1].Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThan(0);

    const worker = lambdas().get(`worker-${name}`)!;
    expect(worker.Properties.Timeout).toBe(q.timeout);
    // V8's young generation held at 32 MB by the wrapper the package ships (test/unit/workerExecWrapper.test.ts).
    expect(worker.Properties.Environment.Variables.AWS_LAMBDA_EXEC_WRAPPER).toBe(`/var/task/${WORKER_EXEC_WRAPPER}`);
    expect(queue![1].Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * worker.Properties.Timeout);

    const mappings = ofType('AWS::Lambda::EventSourceMapping').filter(([, r]) => r.Properties.EventSourceArn['Fn::GetAtt'][0] === queue![0]);
    expect(mappings).toHaveLength(1);
    const mapping = mappings[0]![1].Properties;
    expect(mapping.FunctionName).toEqual({ 'Fn::GetAtt': [worker.id, 'Arn'] });
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    // AWS's floor is 2 pollers: a configured 1 polls with 2 and admission runs one job at a time (docs/admission.md).
    expect(mapping.ScalingConfig.MaximumConcurrency).toBe(Math.max(2, q.concurrency));

    const alarm = ofType('AWS::CloudWatch::Alarm').find(([, r]) => r.Properties.Dimensions?.[0]?.Value['Fn::GetAtt'][0] === dlq![0]);
    expect(alarm![1].Properties).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:sqljobber-alarms'],
    });
  });

  it.each(Object.keys(QUEUES))('%s: alarms on the age of its oldest message and on its failure rate', (name) => {
    const queue = ofType('AWS::SQS::Queue').find(([, r]) => r.Properties.QueueName === `${PREFIX}${name}`)!;
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, r]) => r.Properties);
    const oldest = alarms.find((a) => a.AlarmName === `${PREFIX}${name}-oldest-message`);
    expect(oldest).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue[0], 'QueueName'] } }],
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: ['arn:aws:sns:us-east-1:123456789012:sqljobber-alarms'],
    });
    const rate = alarms.find((a) => a.AlarmName === `${PREFIX}${name}-failure-rate`);
    expect(rate).toMatchObject({ Threshold: 0.1, ComparisonOperator: 'GreaterThanThreshold', AlarmActions: ['arn:aws:sns:us-east-1:123456789012:sqljobber-alarms'] });
    const stats = rate.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric);
    expect(stats).toEqual([
      { Namespace: 'SqlJobber', MetricName: 'JobsFailed', Dimensions: [{ Name: 'service', Value: `sql-jobber-${STAGE}` }, { Name: 'queue', Value: name }] },
      { Namespace: 'SqlJobber', MetricName: 'JobsSucceeded', Dimensions: [{ Name: 'service', Value: `sql-jobber-${STAGE}` }, { Name: 'queue', Value: name }] },
    ]);
    expect(rate.Metrics.find((m: any) => m.ReturnData).Expression).toMatch(/failed.*\/.*succeeded/);
  });

  it('has a dashboard of the jobs\' metrics per queue, with the service dimension the functions write', () => {
    const dashboards = ofType('AWS::CloudWatch::Dashboard');
    expect(dashboards).toHaveLength(1);
    const props = dashboards[0]![1].Properties;
    expect(props.DashboardName).toBe(`sql-jobber-${STAGE}`);
    const body = JSON.parse(props.DashboardBody['Fn::Sub'].replaceAll('${AWS::Region}', 'us-east-1'));
    const metrics = body.widgets.flatMap((w: any) => w.properties.metrics ?? []);
    for (const name of Object.keys(QUEUES)) {
      for (const metric of ['JobsSubmitted', 'JobsStarted', 'JobsSucceeded', 'JobsFailed', 'JobsCancelled', 'JobsRetried', 'JobRunTime', 'JobQueueWait', 'JobRows', 'JobBytes', 'ReuseHits']) {
        expect(metrics.some((m: any[]) => m[0] === 'SqlJobber' && m[1] === metric && m.includes(name) && m.includes(`sql-jobber-${STAGE}`)), `${name} ${metric}`).toBe(true);
      }
      expect(metrics.some((m: any[]) => m[1] === 'ApproximateAgeOfOldestMessage' && m.includes(`${PREFIX}${name}`))).toBe(true);
    }
    expect(metrics.some((m: any[]) => m[1] === 'JobRunTime' && m.at(-1).stat === 'p95')).toBe(true);
    expect(metrics.some((m: any[]) => m[1] === 'WebhookFailures')).toBe(true);
  });

  it('no longer warns that a concurrency of 1 runs as 2: admission keeps it at 1', () => {
    expect(pkg.output).not.toContain('runs as 2');
  });

  it('has the jobs table with its indexes, TTL and point-in-time recovery, and the sweeper and scheduler schedules', () => {
    const table = resources.JobsTable!.Properties;
    expect(table.GlobalSecondaryIndexes.map((i: { IndexName: string }) => i.IndexName).sort()).toEqual(['admission', 'leases', 'orphans', 'pending', 'recent', 'schedules', 'waiters']);
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expires_at', Enabled: true });
    expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toHaveLength(2);
    for (const rule of rules) expect(rule.ScheduleExpression).toBe('rate(1 minute)');
    expect(rules.map((r) => r.Targets[0].Arn['Fn::GetAtt'][0]).sort()).toEqual([lambdas().get('scheduler')!.id, lambdas().get('sweeper')!.id].sort());
  });
});

describe('IAM', () => {
  it('gives each function a role of its own, and there is no shared role', () => {
    const roles = [...lambdas().values()].map((f) => f.Properties.Role['Fn::GetAtt'][0] as string);
    expect(new Set(roles).size).toBe(roles.length);
    expect(ofType('AWS::IAM::Role').map(([id]) => id).sort()).toEqual([...roles].sort());
    expect(resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('has no * action, and a * resource only where AWS allows nothing narrower', () => {
    for (const [roleId] of ofType('AWS::IAM::Role')) {
      for (const s of statementsOf(roleId)) {
        for (const action of s.Action) expect(action, roleId).not.toContain('*');
        for (const resource of asList(s.Resource).map(text)) {
          if (!resource.includes('*')) continue;
          const allowed =
            (resource === '*' && [...s.Action].sort().join() === ENI_ACTIONS.join()) ||
            /:log-group:\/aws\/lambda\/[\w-]+:\*$/.test(resource) ||
            (/:kms:<Region>:<AccountId>:key\/\*$/.test(resource) && s.Condition?.StringEquals?.['kms:ViaService']);
          expect(allowed, `${roleId}: ${s.Action.join(',')} on ${resource}`).toBeTruthy();
        }
      }
    }
  });

  it('lets each function write only its own log group', () => {
    for (const [key, fn] of lambdas()) {
      const logs = statementsOf(fn.Properties.Role['Fn::GetAtt'][0]).filter((s) => s.Action.some((a: string) => a.startsWith('logs:')));
      expect(logs.map((s) => text(s.Resource))).toEqual([`arn:<Partition>:logs:<Region>:<AccountId>:log-group:/aws/lambda/${PREFIX}${key}:*`]);
    }
  });

  it('grants the API functions that touch no database only their DynamoDB calls and sends', () => {
    const actions = (key: string) =>
      statementsOf(lambdas().get(key)!.Properties.Role['Fn::GetAtt'][0])
        .flatMap((s) => s.Action)
        .filter((a: string) => !a.startsWith('logs:'))
        .sort();
    expect(actions('getTasks')).toEqual([]);
    // a waiting job's place in line: a count on the pending index; orphan cancel: the read is noted (asked_at)
    expect(actions('getJob')).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(actions('getQueueJobs')).toEqual(['dynamodb:Query']);
    // admission: the tenant's counter with the job, then the roster and waiting lists read and the admitted jobs taken
    // (with tracing on, each admitted job's traceparent read for its message)
    expect(actions('submitJob')).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'sqs:SendMessage']);
    // an operator's listing reads each listed job's tenant: one BatchGetItem per page
    expect(actions('listJobs')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    expect(actions('getOpenApi')).toEqual([]);
    expect(actions('console')).toEqual([]);
  });

  it('lets GET /jobs query only the recent index (and read the jobs it lists), and GET /queues read only the queues\' counts', () => {
    const role = (key: string) => statementsOf(lambdas().get(key)!.Properties.Role['Fn::GetAtt'][0]).filter((s) => !s.Action[0].startsWith('logs:'));
    const byAction = (a: { Action: string[] }, b: { Action: string[] }) => a.Action[0]!.localeCompare(b.Action[0]!);
    expect(role('listJobs').sort(byAction)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:BatchGetItem'], Resource: { 'Fn::GetAtt': ['JobsTable', 'Arn'] } },
      { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['JobsTable', 'Arn'] }, 'index', 'recent']] } },
    ]);
    const counts = role('getQueues');
    expect(counts.map((s) => s.Action)).toEqual([['sqs:GetQueueAttributes']]);
    const queueIds = ofType('AWS::SQS::Queue').map(([id]) => id).sort();
    expect(counts[0].Resource.map((r: { 'Fn::GetAtt': [string, string] }) => r['Fn::GetAtt'][0]).sort()).toEqual(queueIds);
    expect(queueIds).toHaveLength(2 * Object.keys(QUEUES).length);
  });

  it('lets the scheduler read and move schedules (Query only on the schedules index), create jobs and send their first messages, and nothing else', () => {
    const fn = lambdas().get('scheduler')!;
    expect(fn.Properties.Timeout).toBe(55);
    expect(fn.Properties.VpcConfig).toBeUndefined();
    const role = statementsOf(fn.Properties.Role['Fn::GetAtt'][0]).filter((s) => !s.Action[0].startsWith('logs:'));
    const grants = role.flatMap((s) => s.Action.flatMap((a: string) => asList(s.Resource).map((r) => `${a} ${text(r)}`))).sort();
    const table = text({ 'Fn::GetAtt': ['JobsTable', 'Arn'] });
    const queues = ofType('AWS::SQS::Queue').map(([id]) => id).filter((id) => id.startsWith('Queue'));
    expect(grants).toEqual(
      [
        `dynamodb:PutItem ${table}`,
        `dynamodb:UpdateItem ${table}`,
        `dynamodb:Query ${text({ 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['JobsTable', 'Arn'] }, 'index', 'schedules']] })}`,
        ...queues.map((q) => `sqs:SendMessage ${text({ 'Fn::GetAtt': [q, 'Arn'] })}`),
      ].sort(),
    );
    // The schedules' HTTP routes touch only schedules: no job, no queue.
    const actions = (key: string) => statementsOf(lambdas().get(key)!.Properties.Role['Fn::GetAtt'][0]).flatMap((s) => s.Action).filter((a: string) => !a.startsWith('logs:')).sort();
    expect(actions('submitSchedule')).toEqual(['dynamodb:PutItem']);
    expect(actions('listSchedules')).toEqual(['dynamodb:Query']);
    expect(actions('getSchedule')).toEqual(['dynamodb:GetItem']);
    expect(actions('deleteSchedule')).toEqual(['dynamodb:DeleteItem']);
    expect(actions('pauseSchedule')).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
  });

  it('lets a worker receive and delete only on its own queue', () => {
    for (const name of Object.keys(QUEUES)) {
      const worker = lambdas().get(`worker-${name}`)!;
      const receive = statementsOf(worker.Properties.Role['Fn::GetAtt'][0]).filter((s) => s.Action.includes('sqs:ReceiveMessage'));
      const queueId = ofType('AWS::SQS::Queue').find(([, r]) => r.Properties.QueueName === `${PREFIX}${name}`)![0];
      expect(receive).toEqual([{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], Resource: { 'Fn::GetAtt': [queueId, 'Arn'] } }]);
    }
  });

  it('lets only the database functions read exactly the referenced secrets, and puts only them in the VPC', () => {
    for (const [key, fn] of lambdas()) {
      const statements = statementsOf(fn.Properties.Role['Fn::GetAtt'][0]);
      const ssm = statements.filter((s) => s.Action.includes('ssm:GetParameter'));
      const sm = statements.filter((s) => s.Action.includes('secretsmanager:GetSecretValue'));
      const env = fn.Properties.Environment.Variables;
      if (DB_FUNCTIONS.includes(key)) {
        expect(ssm.flatMap((s) => asList(s.Resource).map(text))).toEqual(['arn:<Partition>:ssm:<Region>:<AccountId>:parameter/sqljobber/test/sales-password']);
        expect(sm.flatMap((s) => asList(s.Resource).map(text)).sort()).toEqual([
          'arn:<Partition>:secretsmanager:<Region>:<AccountId>:secret:rds!cluster-42-??????',
          'arn:<Partition>:secretsmanager:<Region>:<AccountId>:secret:sqljobber/test/legacy-dsn-??????',
        ]);
        expect(fn.Properties.VpcConfig).toEqual({ SubnetIds: ['subnet-0a1b2c3d', 'subnet-0e4f5a6b'], SecurityGroupIds: ['sg-0123abcd'] });
        expect(env.SQL_JOBBER_RESOLVE_SECRETS).toBe('true');
      } else {
        expect([...ssm, ...sm], key).toEqual([]);
        expect(fn.Properties.VpcConfig, key).toBeUndefined();
        expect(env.SQL_JOBBER_RESOLVE_SECRETS, key).toBeUndefined();
      }
    }
  });
});

describe('HTTP API', () => {
  it('requires IAM auth on every route by default, but the console\'s static files', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes.length).toBeGreaterThanOrEqual(14);
    const open = routes.filter(([, r]) => r.Properties.AuthorizationType !== 'AWS_IAM').map(([, r]) => r.Properties.RouteKey).sort();
    expect(open).toEqual(['GET /ui', 'GET /ui/{proxy+}']);
  });
});

describe('logs', () => {
  it('writes JSON lines, kept 30 days', () => {
    for (const [key, fn] of lambdas()) expect(fn.Properties.LoggingConfig, key).toEqual({ LogFormat: 'JSON' });
    for (const [id, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays, id).toBe(30);
  });
});

describe('secrets and packages', () => {
  it('puts no secret in the template or the code packages', () => {
    const files = [pkg.outDir + '/cloudformation-template-update-stack.json', pkg.outDir + '/serverless-state.json'];
    for (const f of files) expect(readFileSync(f, 'utf8')).not.toContain(SENTINEL);
    for (const [name, zip] of Object.entries(pkg.zips)) {
      for (const [file, data] of readZip(zip)) expect(data.includes(SENTINEL), `${name}.zip: ${file}`).toBe(false);
    }
  });

  it('refuses a config.toml with a password in a dsn, naming the key and not the password, once and without a stack trace', () => {
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('db.sales.dsn: holds a password');
    expect(refused.output.split('holds a password')).toHaveLength(2);
    expect(refused.output).not.toMatch(/^\s+at /m);
    expect(refused.output).not.toContain(SENTINEL);
    expect(Object.keys(refused.zips)).toEqual([]);
  });

  it('refuses task files that do not load against the config, as the functions would at cold start: one line per problem', () => {
    expect(mismatched.code).not.toBe(0);
    expect(Object.keys(mismatched.zips)).toEqual([]);
    expect(mismatched.output).not.toContain('Service packaged');
    expect(mismatched.output).not.toMatch(/^\s+at /m);
    const problems = mismatched.output.split('\n').filter((line) => line.startsWith('  - '));
    // Six tasks, each naming a db and a results db that this config lacks. Their queue
    // (sqljob_queue) is no problem: a queue that only task tags name exists, as in dungbeetle.
    expect(problems).toHaveLength(12);
    expect(problems.filter((p) => p.includes('queue'))).toEqual([]);
    expect(problems).toContain('  - sql/sample.sql:13: unknown db "sample"; the config declares [db.sales], [db.legacy]');
    expect(problems).toContain('  - sql/sample.sql:13: unknown results "sample_results"; the config declares [results.res]');
    expect(new Set(problems).size).toBe(problems.length);
  });

  it('leaves to the Lambda runtime only the AWS SDK packages it brings: the clients, the DynamoDB document client, the S3 presigner', () => {
    // The runtime's SDK is what serverless.yml excludes from the bundles (@aws-sdk/*). A package
    // outside this list would be missing at run time: bundle it, or add it here knowing the runtime has it.
    const RUNTIME = /^@aws-sdk\/(client-[\w-]+|lib-dynamodb|util-dynamodb|s3-request-presigner)$/;
    const left = new Set<string>();
    for (const [name, zip] of Object.entries(pkg.zips)) {
      const code = [...readZip(zip).entries()].filter(([f]) => f.endsWith('.mjs')).map(([, data]) => data.toString('utf8')).join('\n');
      const imported = [...code.matchAll(/\b(?:from|import)\s*\(?\s*["'](@aws-sdk\/[\w-]+)[^"']*["']/g)].map((m) => m[1]!);
      expect(imported.filter((p) => !RUNTIME.test(p)), name).toEqual([]);
      for (const p of imported) left.add(p);
    }
    // Exports stream their parts with the S3 client's own multipart calls (lib/export/multipartUpload.ts), no storage library.
    expect(left).not.toContain('@aws-sdk/lib-storage');
    expect(left).toContain('@aws-sdk/s3-request-presigner');
  });

  it('ships each function only what it imports, under the size targets', () => {
    for (const api of ['getTasks', 'getJob', 'getQueueJobs', 'submitJob', 'getGroup', 'submitGroup']) expect(DB_FUNCTIONS).not.toContain(api);
    for (const [name, zip] of Object.entries(pkg.zips)) {
      const files = readZip(zip);
      const own = [...files.keys()].filter((f) => !f.startsWith('handlers/'));
      // The console's bundle goes into its own function's package, and no other.
      const bundle = own.filter((f) => f.startsWith('console/dist/'));
      if (name === 'console') {
        expect(bundle, name).toEqual(
          expect.arrayContaining([
            'console/dist/index.html',
            expect.stringMatching(/^console\/dist\/assets\/index-[\w-]+\.js$/),
            // The API reference at /ui/api: its page and Swagger UI, from the package itself.
            'console/dist/api/index.html',
            expect.stringMatching(/^console\/dist\/assets\/api-[\w-]+\.js$/),
            expect.stringMatching(/^console\/dist\/assets\/api-[\w-]+\.css$/),
          ]),
        );
      }
      else expect(bundle, name).toEqual([]);
      // Each worker also ships its startup wrapper, executable (Lambda runs it by path).
      const wrapper = name.startsWith('worker-') ? [WORKER_EXEC_WRAPPER] : [];
      expect(own.filter((f) => !f.startsWith('console/dist/')).sort(), name).toEqual(['config.toml', ...wrapper, 'sql/reports.sql']);
      for (const file of wrapper) expect(zipModes(zip).get(file)! & 0o111, `${name}.zip: ${file} is executable`).toBe(0o111);
      const map = [...files.entries()].find(([f]) => f.endsWith('.mjs.map'))![1];
      const sources: string[] = JSON.parse(map.toString('utf8')).sources;
      const drivers = sources.some((s) => /node_modules\/(pg|mysql2|pg-copy-streams|pg-query-stream)\//.test(s));
      const size = statSync(zip).size;
      if (DB_FUNCTIONS.includes(name)) {
        expect(size, `${name}.zip`).toBeLessThan(1.5 * 1024 * 1024);
      } else {
        expect(drivers, `${name} bundles a database driver`).toBe(false);
        // The console's package also holds Swagger UI (1.6 MB of script, about 480 KB zipped) for /ui/api.
        expect(size, `${name}.zip`).toBeLessThan((name === 'console' ? 1024 : 500) * 1024);
      }
    }
  });
});
