/**
 * AWS calls per job: submits and runs trivial jobs in this process, with the same
 * lib code the Lambda handlers call, against DynamoDB Local, fauxqs and the local
 * PostgreSQL server, counting every SDK call by service and operation.
 *
 *   npx tsx bench/awsCalls.bench.ts
 * Targets: at most 2 AWS calls to submit a job and 4 to run it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { InitializeMiddleware } from '@smithy/types';
import { createApp } from '../lib/app.js';
import { createAwsClients } from '../lib/awsClients.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { jobTableDefinition } from '../lib/jobs/jobTable.js';
import { parseJobMessage } from '../lib/jobs/parseJobMessage.js';
import { runJob } from '../lib/lifecycle/runJob.js';
import { submitJob } from '../lib/jobs/submitJob.js';
import { readSettings } from '../lib/settings.js';
import { ensureTable, startDynamo } from '../scripts/stack/startDynamo.js';
import { ensureQueues, startSqs } from '../scripts/stack/startSqs.js';
import { createTestDatabases } from '../test/support/testDatabases.js';

const JOBS = 20;
const dbs = await createTestDatabases('sqljobber_bench_aws');
const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-aws-'));
const dynamo = await startDynamo();
const sqs = await startSqs();
try {
  writeFileSync(path.join(dir, 'tasks.sql'), '-- name: one\nSELECT $1::int AS n, now() AS at;\n');
  writeFileSync(path.join(dir, 'config.toml'), `[db.pg]\ntype = "postgres"\ndsn = "${dbs.pgUrl}"\n[results.res]\ntype = "postgres"\ndsn = "${dbs.pgUrl}"\n`);
  await ensureTable(dynamo.endpoint, jobTableDefinition('bench-jobs'));
  const [queueUrl] = Object.values(await ensureQueues(sqs.endpoint, [{ name: 'bench-sqljob_queue' }]));
  const settings = readSettings({
    SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'),
    SQL_JOBBER_SQL_DIR: dir,
    SQL_JOBBER_TABLE: 'bench-jobs',
    SQL_JOBBER_QUEUE_NAME_PREFIX: 'bench-',
    SQL_JOBBER_QUEUE_URL_PREFIX: `${sqs.endpoint}/000000000000/`,
    SQL_JOBBER_DYNAMODB_ENDPOINT: dynamo.endpoint,
    SQL_JOBBER_SQS_ENDPOINT: sqs.endpoint,
  });
  const aws = createAwsClients(settings);
  const calls = new Map<string, number>();
  const counter =
    (service: string): InitializeMiddleware<any, any> =>
    (next, context) =>
    async (args) => {
      const key = `${service}.${String(context.commandName).replace(/Command$/, '')}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
      return next(args);
    };
  aws.ddb.middlewareStack.add(counter('DynamoDB'), { step: 'initialize', name: 'countCalls' });
  aws.sqs.middlewareStack.add(counter('SQS'), { step: 'initialize', name: 'countCalls' });
  const app = createApp(settings, aws);
  const pools = createDbPools();
  const phase = async (fn: () => Promise<unknown>) => {
    calls.clear();
    await fn();
    return new Map(calls);
  };
  const submit: Map<string, number>[] = [];
  const run: Map<string, number>[] = [];
  for (let i = 0; i < JOBS; i++) {
    submit.push(await phase(() => submitJob(app, 'one', { args: [String(i)] })));
    const received = await aws.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    const msg = received.Messages![0]!;
    // What the event source mapping does (receive/delete) is not the function's own call.
    await aws.sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: msg.ReceiptHandle }));
    run.push(await phase(() => runJob({ ...app, pools }, parseJobMessage(msg.Body!), 300_000)));
  }
  const summary = (phases: Map<string, number>[]) => {
    const total = new Map<string, number>();
    for (const p of phases) for (const [k, v] of p) total.set(k, (total.get(k) ?? 0) + v);
    const perJob = [...total].map(([k, v]) => `${k} ${(v / phases.length).toFixed(2)}`).join(', ');
    const sum = [...total.values()].reduce((a, b) => a + b, 0) / phases.length;
    return `${sum.toFixed(2)} calls per job (${perJob})`;
  };
  console.log(`AWS calls, mean over ${JOBS} trivial jobs`);
  console.log(`  submit: ${summary(submit)}   target <= 2`);
  console.log(`  run:    ${summary(run)}   target <= 4`);
  await pools.end();
  aws.ddb.destroy();
  aws.sqs.destroy();
} finally {
  await sqs.stop();
  await dynamo.stop();
  await dbs.drop();
  rmSync(dir, { recursive: true, force: true });
}
