/**
 * The EMF lines the functions print, read back from stdout as CloudWatch reads
 * them: each metric's name, unit, value and its bounded dimensions (service and
 * queue, or service and sink), never a job ID.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { JobItem } from '../../lib/jobs/types.js';
import { METRICS_NAMESPACE, createJobMetrics } from '../../lib/observability/jobMetrics.js';

interface Emf {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  [key: string]: unknown;
}

let lines: string[] = [];
let restore: () => void;

beforeEach(() => {
  lines = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    if (text.includes('"_aws"')) lines.push(...text.split('\n').filter((l) => l.includes('"_aws"')));
    else return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    return true;
  }) as typeof process.stdout.write;
  restore = () => (process.stdout.write = write);
});

afterEach(() => restore());

/** Each printed document as {dimensions, metrics: name -> [unit, value]}. */
function documents() {
  return lines.map((l) => {
    const doc = JSON.parse(l) as Emf;
    const [directive] = doc._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe(METRICS_NAMESPACE);
    const dimensions = Object.fromEntries(directive!.Dimensions[0]!.map((d) => [d, doc[d]]));
    const metrics = Object.fromEntries(directive!.Metrics.map((m) => [m.Name, [m.Unit, doc[m.Name]]]));
    return { dimensions, metrics, job_id: doc.job_id };
  });
}

const job = (over: Partial<JobItem>): JobItem => ({
  pk: 'job#j1',
  job_id: 'j1',
  run_id: 'r1',
  task: 'report',
  queue: 'reports',
  db: 'main',
  results_db: 'res',
  args: [],
  status: 'STARTED',
  retries: 1,
  attempt: 1,
  ttl: 3600,
  eta: null,
  created_at: '2030-01-01T00:00:00.000Z',
  started_at: '2030-01-01T00:00:01.500Z',
  ...over,
});

it('names, units, values and bounded dimensions of every job metric', () => {
  const m = createJobMetrics('sqljobber-test');
  const service = 'sqljobber-test';

  m.submitted('reports', 3);
  m.started(job({}));
  m.started(job({ eta: '2030-01-01T00:00:01.000Z' }));
  m.retried(job({ status: 'RETRY' }));
  m.finished(job({ status: 'SUCCESS', finished_at: '2030-01-01T00:00:04.000Z', count: 42, bytes_written: 4200 }));
  m.finished(job({ status: 'SUCCESS', finished_at: '2030-01-01T00:00:01.600Z', count: 42, bytes_written: 4200, reused_from: 'j0' }));
  m.finished(job({ status: 'FAILURE', finished_at: '2030-01-01T00:00:02.000Z' }));
  m.cancelled(job({ status: 'CANCELLED', queue: 'other' }));
  m.webhook('delivered');
  m.webhook('failed');

  const docs = documents();
  const q = { service, queue: 'reports' };
  expect(docs.map((d) => ({ dimensions: d.dimensions, metrics: d.metrics }))).toEqual([
    { dimensions: q, metrics: { JobsSubmitted: ['Count', 3] } },
    { dimensions: q, metrics: { JobsStarted: ['Count', 1], JobQueueWait: ['Milliseconds', 1500] } },
    // waited from its eta, not from its creation
    { dimensions: q, metrics: { JobsStarted: ['Count', 1], JobQueueWait: ['Milliseconds', 500] } },
    { dimensions: q, metrics: { JobsRetried: ['Count', 1] } },
    { dimensions: q, metrics: { JobsSucceeded: ['Count', 1], JobRunTime: ['Milliseconds', 2500], JobRows: ['Count', 42], JobBytes: ['Bytes', 4200] } },
    { dimensions: q, metrics: { JobsSucceeded: ['Count', 1], JobRunTime: ['Milliseconds', 100], JobRows: ['Count', 42], JobBytes: ['Bytes', 4200], ReuseHits: ['Count', 1] } },
    { dimensions: q, metrics: { JobsFailed: ['Count', 1], JobRunTime: ['Milliseconds', 500] } },
    { dimensions: { service, queue: 'other' }, metrics: { JobsCancelled: ['Count', 1] } },
    { dimensions: { service, sink: 'webhook' }, metrics: { WebhookDeliveries: ['Count', 1] } },
    { dimensions: { service, sink: 'webhook' }, metrics: { WebhookFailures: ['Count', 1] } },
  ]);
  // The job ID is a property (searchable), never a dimension.
  expect(docs[1]!.job_id).toBe('j1');
  for (const d of docs) expect(Object.keys(d.dimensions)).not.toContain('job_id');
});
