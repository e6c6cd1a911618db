/**
 * Both generations' field names in the answers: SQL Jobber's (`task_name`,
 * `status`, `results`) and dungbeetle v2's (`task`, `state`, `count`). The group
 * status is covered end to end (test/e2e/clientContract.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { jobStatus, pendingJob } from '../../lib/jobs/jobStatus.js';
import { submittedJob } from '../../lib/jobs/newJobItem.js';
import type { JobItem } from '../../lib/jobs/types.js';

const job: JobItem = {
  pk: 'job#j1',
  job_id: 'j1',
  run_id: 'r1',
  task: 'get_ledger_totals',
  queue: 'ledger',
  db: 'my_db',
  results_db: 'my_results',
  args: ['7'],
  status: 'SUCCESS',
  retries: 2,
  attempt: 1,
  ttl: 60,
  eta: null,
  created_at: '2030-01-01T00:00:00.000Z',
  count: 4,
  error: '',
};

describe('answers carry both generations\' names', () => {
  it('POST /tasks/{task}/jobs: task beside task_name', () => {
    expect(submittedJob({ ...job, status: 'PENDING' })).toEqual({
      job_id: 'j1',
      task_name: 'get_ledger_totals',
      task: 'get_ledger_totals',
      queue: 'ledger',
      eta: null,
      retries: 2,
    });
  });

  it('POST answers give the ETA in RFC 3339, which Go clients decode into time.Time', () => {
    expect(submittedJob({ ...job, eta: '2030-01-01 09:00:00' }).eta).toBe('2030-01-01T09:00:00Z');
    expect(new Date(submittedJob({ ...job, eta: '2030-01-01 09:00:00' }).eta!).toISOString()).toBe('2030-01-01T09:00:00.000Z');
  });

  it('GET /jobs/{id}: state beside status, count beside results', () => {
    for (const status of ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED'] as const) {
      const answer = jobStatus({ ...job, status });
      expect(answer).toMatchObject({ job_id: 'j1', status, state: status, error: '', task: 'get_ledger_totals' });
    }
    expect(jobStatus(job)).toMatchObject({ count: 4, results: [{ Type: 'int64', Value: 4 }] });
  });

  it('GET /jobs/queue/{queue}: task and state beside task_name and status', () => {
    expect(pendingJob({ ...job, status: 'RETRY' })).toMatchObject({ task_name: 'get_ledger_totals', task: 'get_ledger_totals', status: 'RETRY', state: 'RETRY' });
  });
});
