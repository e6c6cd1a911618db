/**
 * dungbeetle's Go client sends unset request fields as Go zero values; they mean
 * "not given", as in dungbeetle, and everything else is still validated.
 */
import { describe, expect, it } from 'vitest';
import type { Config, ResultsConfig } from '../../lib/config/types.js';
import { parseGroupRequest } from '../../lib/groups/parseGroupRequest.js';
import { parseJobRequest } from '../../lib/jobs/parseJobRequest.js';
import type { Task } from '../../lib/tasks/types.js';

const config = {
  app: { defaultJobTtl: 60, logLevel: 'INFO' },
  db: {},
  results: { r: { resultsTable: 'results_%s' } as ResultsConfig },
  queues: { test: { name: 'test', concurrency: 5, timeout: 300 } },
  source: 'test',
} as unknown as Config;
const task = { name: 'get_ledger_totals', dbs: ['my_db'], results: ['r'], queue: 'test', argCount: 1, raw: false } as unknown as Task;

/** models.JobReq as encoding/json marshals it: every field, unset ones as zero values. */
const goJobReq = (fields: Record<string, unknown>) => ({ task: '', job_id: 'job1', queue: '', eta: '', retries: 0, ttl: 0, args: null, db: '', ...fields });

describe("dungbeetle's Go zero values", () => {
  it('read as not given: no ETA, the default TTL, the task\'s queue, any db', () => {
    expect(parseJobRequest(goJobReq({ task: 'get_ledger_totals', args: ['7'] }), task, config)).toEqual({
      job_id: 'job1',
      queue: 'test',
      eta: null,
      retries: 0,
      ttl: 60,
      args: ['7'],
    });
  });

  it('leave set fields as they are, still validated', () => {
    const req = goJobReq({ task: 'get_ledger_totals', job_id: 'job1', queue: 'test', eta: '2030-01-01 09:00:00', retries: 4, ttl: 30, args: ['7'], db: 'my_db' });
    expect(parseJobRequest(req, task, config)).toMatchObject({ job_id: 'job1', queue: 'test', eta: '2030-01-01 09:00:00', retries: 4, ttl: 30, db: 'my_db' });
    expect(() => parseJobRequest(goJobReq({ args: ['7'], queue: 'test_pending' }), task, config)).toThrow('queue: unknown queue "test_pending"');
    expect(() => parseJobRequest(goJobReq({ args: null }), task, config)).toThrow('args: task "get_ledger_totals" takes 1 argument(s), got 0');
    expect(() => parseJobRequest(goJobReq({ args: ['7'], eta: ' ' }), task, config)).toThrow('eta: expected "yyyy-mm-dd hh:mm:ss"');
    expect(() => parseJobRequest(goJobReq({ args: ['7'], job_id: '' }), task, config)).toThrow('job_id: may contain only');
  });

  it('in a group: an unset group_id is generated', () => {
    expect(parseGroupRequest({ group_id: '', jobs: [goJobReq({ task: 'get_ledger_totals' })] })).toEqual({ concurrency: 5, jobs: [expect.any(Object)] });
  });
});
