/**
 * `serverless package`, offline, of a dungbeetle-style service: no [queues], the
 * task files in two directories name the queues. Each such queue must deploy like a
 * configured one, and every directory's task files must ship in the code packages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logicalId } from '../../lib/deploy/serviceDefinition.js';
import { packageService, type PackageOutput } from '../support/packageService.js';
import { readZip } from '../support/readZip.js';

const APP = path.join(import.meta.dirname, '../fixtures/dungbeetle/app');
const fixture = (file: string) => readFileSync(path.join(APP, file), 'utf8');
// Deployable DSNs: the password in SSM, not in the file.
const CONFIG = fixture('config.toml').replace(/^dsn = ".*"$/gm, 'dsn = "postgres://reports:${ssm:/sqljobber/test/reports-password}@reports.internal:5432/reports"');

let pkg: PackageOutput;

beforeAll(async () => {
  pkg = await packageService({
    config: CONFIG,
    tasks: { 'pg/ledger.sql': fixture('sql/pg/ledger.sql'), 'extra/digest.sql': fixture('sql/extra/digest.sql') },
    env: { SQL_JOBBER_SQL_DIR: 'sql/pg:sql/extra' },
  });
}, 300_000);

afterAll(() => pkg?.remove());

describe('serverless package of task-declared queues and two task directories', () => {
  it('packages', () => {
    expect(pkg.code, pkg.output).toBe(0);
  });

  it.each([
    ['ledger', 3],
    ['digest_low', 2],
    ['sqljob_queue', 5],
  ])('deploys queue %s with its dead-letter queue and a worker capped at %i', (queue, concurrency) => {
    const resources = pkg.template!.Resources;
    expect(resources[logicalId('Queue', queue)]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { QueueName: `sql-jobber-test-${queue}` } });
    expect(resources[logicalId('DeadLetter', queue)]).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { QueueName: `sql-jobber-test-${queue}-dlq` } });
    const mappings = Object.values(resources).filter(
      (r) => r.Type === 'AWS::Lambda::EventSourceMapping' && JSON.stringify(r.Properties.EventSourceArn).includes(logicalId('Queue', queue)),
    );
    expect(mappings).toHaveLength(1);
    expect(mappings[0]!.Properties.ScalingConfig).toEqual({ MaximumConcurrency: concurrency });
    expect(Object.keys(pkg.zips)).toContain(`worker-${queue}`);
  });

  it('ships the task files of both directories and points the functions at them', () => {
    const files = readZip(pkg.zips['worker-ledger']!);
    expect(files.get('sql/pg/ledger.sql')?.toString()).toBe(fixture('sql/pg/ledger.sql'));
    expect(files.get('sql/extra/digest.sql')?.toString()).toBe(fixture('sql/extra/digest.sql'));
    const fn = Object.values(pkg.template!.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === 'sql-jobber-test-worker-ledger');
    expect(fn!.Properties.Environment.Variables.SQL_JOBBER_SQL_DIR).toBe('sql/pg:sql/extra');
  });
});
