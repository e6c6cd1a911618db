import { expect, it } from 'vitest';
import { jobProgress } from '../../lib/jobs/jobProgress.js';
import type { JobItem } from '../../lib/jobs/types.js';

const job = (over: Partial<JobItem>): JobItem => ({
  pk: 'job#j',
  job_id: 'j',
  run_id: 'r',
  task: 't',
  queue: 'q',
  db: 'd',
  results_db: 'r',
  args: [],
  status: 'STARTED',
  retries: 0,
  attempt: 1,
  ttl: 60,
  eta: null,
  created_at: '2030-01-01T00:00:00.000Z',
  ...over,
});

it('is 0 while waiting, rows over the estimate below 1 while running, 1 only at SUCCESS', () => {
  expect(jobProgress(job({ status: 'PENDING' }))).toEqual({ rows_written: null, bytes_written: null, est_rows: null, progress: 0 });
  expect(jobProgress(job({ status: 'RETRY', rows_written: 10 }))).toMatchObject({ rows_written: null, progress: 0 });
  // before the first renewal
  expect(jobProgress(job({}))).toEqual({ rows_written: 0, bytes_written: 0, est_rows: null, progress: null });
  expect(jobProgress(job({ rows_written: 250, bytes_written: 9000, est_rows: 1000 }))).toEqual({ rows_written: 250, bytes_written: 9000, est_rows: 1000, progress: 0.25 });
  // an estimate that fell short never reads as done
  expect(jobProgress(job({ rows_written: 5000, est_rows: 1000 })).progress).toBe(0.99);
  expect(jobProgress(job({ rows_written: 3, est_rows: 0 })).progress).toBe(0.99);
  expect(jobProgress(job({ status: 'SUCCESS', count: 5000, rows_written: 5000, bytes_written: 1, est_rows: 1000 }))).toEqual({ rows_written: 5000, bytes_written: 1, est_rows: 1000, progress: 1 });
  expect(jobProgress(job({ status: 'FAILURE', rows_written: 70 }))).toMatchObject({ rows_written: 70, progress: null });
  expect(jobProgress(job({ status: 'CANCELLED' }))).toMatchObject({ rows_written: null, progress: null });
});
