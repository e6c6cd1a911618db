/**
 * The client contract, end to end: replays, in order, the calls dungbeetle v2's Go
 * client makes in its own tests (post jobs; job status, also of an unknown job;
 * pending jobs of a queue; delete with purge; post a group; group status while it
 * runs and after), with the bodies that client marshals (every field, unset ones as
 * Go zero values). Each answer must decode into the client's structs (models.go)
 * and carry SQL Jobber's field names too.
 *
 * The stack runs the dungbeetle-style fixture (test/fixtures/dungbeetle/app): its
 * config.toml unchanged but for the DSNs, and two task directories, whose tasks
 * declare the queues. It is started as a dungbeetle user would start it:
 * `sql-jobber --config PATH --sql-directory DIR --sql-directory DIR2 --port N`,
 * under the system's Node (the command re-runs itself under the project's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlJobberClient, SqlJobberApiError } from '../../client/src/index.js';
import { freePort } from '../../scripts/stack/freePort.js';
import { createTestDatabases, type TestDatabases } from '../support/testDatabases.js';
import { until } from '../support/until.js';

const APP = path.join(import.meta.dirname, '../fixtures/dungbeetle/app');
const BIN = path.join(import.meta.dirname, '../../bin/sql-jobber.js');
const SYSTEM_NODE = existsSync('/usr/bin/node') ? '/usr/bin/node' : process.execPath;

let url: string;
let cli: ChildProcess;
let output = '';
let dbs: TestDatabases;
let dir: string;

/** models.JobReq, as the Go client sends it: every field, in struct order. */
interface JobReq {
  task: string;
  job_id: string;
  queue?: string;
  eta?: string;
  retries?: number;
  ttl?: number;
  args?: string[] | null;
  db?: string;
}
const jobReq = (j: JobReq) => ({ task: j.task, job_id: j.job_id, queue: j.queue ?? '', eta: j.eta ?? '', retries: j.retries ?? 0, ttl: j.ttl ?? 0, args: j.args ?? null, db: j.db ?? '' });

/** client.go's calls: the same method, path and query for each. */
const client = {
  async call(method: string, uri: string, body?: unknown) {
    const res = await fetch(url + uri, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const { code: errorCode, ...envelope } = (await res.json()) as { status: string; code?: string; message?: string; data: any };
    // models.HTTPResp: status and message are strings; a non-200 is the client's error "CODE: message".
    // (Its decoder skips the error answer's added `code`, which is not one of its fields.)
    expect(typeof envelope.status).toBe('string');
    if (res.status !== 200) expect(typeof envelope.message).toBe('string');
    if (res.status !== 200) expect(typeof errorCode).toBe('string');
    return { code: res.status, errorCode, ...envelope };
  },
  postJob: (j: JobReq) => client.call('POST', `/tasks/${j.task}/jobs`, jobReq(j)),
  getJobStatus: (jobId: string) => client.call('GET', `/jobs/${jobId}`),
  deleteJob: (jobId: string, purge: boolean) => client.call('DELETE', `/jobs/${jobId}?purge=${purge}`),
  getPendingJobs: (queue: string) => client.call('GET', `/jobs/queue/${queue}`),
  postJobGroup: (g: { group_id: string; jobs: JobReq[] }) => client.call('POST', '/groups', { group_id: g.group_id, jobs: g.jobs.map(jobReq) }),
  getGroupStatus: (groupId: string) => client.call('GET', `/groups/${groupId}`),
};

type GoType = 'string' | 'int' | 'time' | { array: Record<string, GoType> } | Record<string, never>;

/**
 * Whether `value` decodes with encoding/json into a struct of `shape` (json tag ->
 * Go type), and holds every field the client reads. null decodes into anything;
 * Go's time.Time reads only RFC 3339.
 */
function expectGoDecodes(value: any, shape: Record<string, GoType>, where = 'data') {
  expect(value, where).toBeTypeOf('object');
  for (const [field, type] of Object.entries(shape)) {
    expect(Object.hasOwn(value, field), `${where}.${field} is in the answer`).toBe(true);
    const v = value[field];
    if (v === null) continue;
    if (type === 'string') expect(typeof v, `${where}.${field}`).toBe('string');
    else if (type === 'int') expect(Number.isInteger(v), `${where}.${field} is an int (got ${JSON.stringify(v)})`).toBe(true);
    else if (type === 'time') expect(v, `${where}.${field} is RFC 3339`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    else if ('array' in type) {
      expect(Array.isArray(v), `${where}.${field} is a list`).toBe(true);
      (v as unknown[]).forEach((item, i) => expectGoDecodes(item, type.array as Record<string, GoType>, `${where}.${field}[${i}]`));
    }
  }
}
const JOB_RESP = { job_id: 'string', task: 'string', queue: 'string', eta: 'time', retries: 'int' } as const;
const JOB_STATUS_RESP = { job_id: 'string', state: 'string', count: 'int', error: 'string' } as const;
const GROUP_RESP = { group_id: 'string', jobs: { array: JOB_RESP } } as const;
const GROUP_STATUS_RESP = { group_id: 'string', state: 'string', jobs: { array: JOB_STATUS_RESP } } as const;


const finished = (jobId: string) =>
  until(
    `job ${jobId} to finish`,
    async () => {
      const r = await client.getJobStatus(jobId);
      return ['SUCCESS', 'FAILURE'].includes(r.data?.state) ? r : undefined;
    },
    { timeoutMs: 30_000, everyMs: 200 },
  );

beforeAll(async () => {
  dbs = await createTestDatabases('sqljobber_contract');
  await dbs.pg(`CREATE TABLE entries (id serial PRIMARY KEY, user_id int NOT NULL, amount numeric(12,2) NOT NULL, entry_date date NOT NULL, "timestamp" timestamptz NOT NULL)`);
  await dbs.pg(`INSERT INTO entries (user_id, amount, entry_date, "timestamp")
    SELECT 1 + i % 3, i * 1.25, date '2024-01-01' + (i % 4), timestamptz '2024-01-01 00:00:00+00' + i * interval '1 hour' FROM generate_series(1, 24) AS i`);
  dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-contract-'));
  const written = readFileSync(path.join(APP, 'config.toml'), 'utf8');
  const config = written.replace(/^dsn = ".*"$/gm, `dsn = "${dbs.pgUrl}"`);
  // Unchanged except for the DSNs.
  const changed = written.split('\n').filter((line, i) => line !== config.split('\n')[i]);
  expect(changed).toEqual([expect.stringMatching(/^dsn = /), expect.stringMatching(/^dsn = /)]);
  writeFileSync(path.join(dir, 'config.toml'), config);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const args = ['--config', path.join(dir, 'config.toml'), '--sql-directory', path.join(APP, 'sql/pg'), '--sql-directory', path.join(APP, 'sql/extra'), '--port', String(port)];
  // Its own process group, so that the whole stack can be sent Ctrl-C at the end.
  cli = spawn(SYSTEM_NODE, [BIN, ...args], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  cli.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  cli.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // A CLI that exits ends the wait too: the expectation below then shows its output.
  await until('the stack to start', () => output.includes('SQL Jobber is up') || cli.exitCode !== null || undefined, { timeoutMs: 150_000, everyMs: 200 });
  expect(output, output).toContain('SQL Jobber is up');
}, 180_000);

afterAll(async () => {
  if (cli?.pid !== undefined && cli.exitCode === null) {
    const exited = new Promise((resolve) => cli.once('exit', resolve));
    process.kill(-cli.pid, 'SIGINT');
    await exited;
  }
  await dbs?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe("dungbeetle v2's client, call by call", () => {
  const jobs: JobReq[] = [
    { job_id: 'job1', task: 'get_ledger_totals', queue: 'ledger', retries: 4, args: ['1'] },
    { job_id: 'job2', task: 'get_ledger_totals', queue: 'ledger', retries: 3, args: ['2'] },
  ];

  it('runs the queues the task files declare', async () => {
    const tasks = await client.call('GET', '/tasks');
    expect(tasks.code).toBe(200);
    expect(Object.fromEntries(tasks.data.map((t: any) => [t.name, t.queue]))).toEqual({
      get_ledger_totals: 'ledger',
      get_ledger_entries: 'ledger',
      get_ledger_between: 'ledger',
      sleep_for: 'ledger',
      get_digest: 'digest_low',
      count_entries: 'sqljob_queue',
    });
    // What `npm start` prints: the queues it created, and the task check, every task ok.
    expect(output).toMatch(/\(queues sql-jobber-local-ledger, sql-jobber-local-digest_low, sql-jobber-local-sqljob_queue\)/);
    expect(output).toContain('Task check (6 ok, 0 failed)');
  });

  it('PostJob', async () => {
    for (const j of jobs) {
      const r = await client.postJob(j);
      expect(r.code).toBe(200);
      expectGoDecodes(r.data, JOB_RESP);
      expect(r.data).toEqual({ job_id: j.job_id, task: j.task, task_name: j.task, queue: 'ledger', eta: null, retries: j.retries });
    }
  });

  it('GetJobStatus, of an unknown job and of each posted one', async () => {
    const unknown = await client.getJobStatus('aaaa');
    expect(unknown.code).toBe(404);
    expect(unknown).toMatchObject({ status: 'error', errorCode: 'job_not_found', message: 'unknown job "aaaa"', data: null });
    const dates = await dbs.pg('SELECT user_id, count(DISTINCT entry_date)::int AS n FROM entries GROUP BY user_id');
    const rows = Object.fromEntries(dates.map((d) => [String(d.user_id), d.n as number]));
    for (const j of jobs) {
      const first = await client.getJobStatus(j.job_id);
      expect(first.code).toBe(200);
      expectGoDecodes(first.data, JOB_STATUS_RESP);
      expect(first.data.job_id).toBe(j.job_id);
      expect(first.data.state).toBe(first.data.status);
      const done = await finished(j.job_id);
      expectGoDecodes(done.data, JOB_STATUS_RESP);
      const count = rows[j.args![0]!];
      expect(done.data).toMatchObject({ job_id: j.job_id, state: 'SUCCESS', status: 'SUCCESS', count, error: '', results: [{ Type: 'int64', Value: count }] });
    }
  });

  it('GetPendingJobs: jobs waiting on a queue; a queue nobody declares is a 400 naming the queues', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const pending: JobReq[] = [
      { job_id: 'job3', task: 'get_digest', queue: 'digest_low', retries: 3, eta: later },
      { job_id: 'job4', task: 'get_digest', queue: 'digest_low', retries: 3, eta: later },
    ];
    for (const j of pending) {
      const r = await client.postJob(j);
      expect(r.code).toBe(200);
      expectGoDecodes(r.data, JOB_RESP);
      expect(new Date(r.data.eta).toISOString().slice(0, 19).replace('T', ' ')).toBe(later);
    }
    const r = await client.getPendingJobs('digest_low');
    expect(r.code).toBe(200);
    // tasqueue.JobMessage has no json tags: Go matches "status" and "queue" to its Status and Queue strings.
    expect(r.data.map((j: any) => [j.job_id, j.queue, j.status, j.state]).sort()).toEqual([
      ['job3', 'digest_low', 'PENDING', 'PENDING'],
      ['job4', 'digest_low', 'PENDING', 'PENDING'],
    ]);
    // The same job ID again while it waits: a 409 whose code says so.
    const again = await client.postJob(pending[0]!);
    expect(again).toMatchObject({ code: 409, status: 'error', errorCode: 'job_active', data: { job_id: 'job3', status: 'PENDING' } });
    const undeclared = await client.postJob({ job_id: 'job5', task: 'get_digest', queue: 'test_pending' });
    expect(undeclared.code).toBe(400);
    expect(undeclared.message).toBe('queue: unknown queue "test_pending" (configured: ledger, digest_low, sqljob_queue)');
    expect((await client.getJobStatus('job5')).code).toBe(404);
  });

  it('DeleteJob with purge, finished and waiting', async () => {
    for (const id of ['job1', 'job2', 'job3', 'job4']) {
      const r = await client.deleteJob(id, true);
      expect(r.code, `${id}: ${r.message}`).toBe(200);
      expect((await client.getJobStatus(id)).code).toBe(404);
    }
    expect(await dbs.pg(`SELECT tablename FROM pg_tables WHERE tablename IN ('results_job1', 'results_job2')`)).toEqual([]);
    expect((await client.getPendingJobs('digest_low')).data).toEqual([]);
  });

  it('PostJobGroup, and GetGroupStatus while the group runs and after', async () => {
    // The client's TestSlowQuery sleeps 4 s; 8 s leaves room for the local functions' cold starts.
    const group = { group_id: 'slow_group', jobs: [{ job_id: 'job-slow', task: 'sleep_for', queue: 'ledger', retries: 3, args: ['8'] }] };
    const posted = await client.postJobGroup(group);
    expect(posted.code).toBe(200);
    expectGoDecodes(posted.data, GROUP_RESP);
    expect(posted.data).toMatchObject({
      group_id: 'slow_group',
      jobs: [{ job_id: 'job-slow', task: 'sleep_for', task_name: 'sleep_for', queue: 'ledger', eta: null, retries: 3 }],
    });

    // As the client's TestSlowQuery: twice, a second apart, while the query runs.
    for (let i = 0; i < 2; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 1000));
      const r = await client.getGroupStatus('slow_group');
      expect(r.code).toBe(200);
      expectGoDecodes(r.data, GROUP_STATUS_RESP);
      expect(['PENDING', 'STARTED']).toContain(r.data.state);
      expect(r.data.status).toBe(r.data.state);
      expect(r.data.jobs[0]).toMatchObject({ job_id: 'job-slow', error: '' });
      expect(r.data.jobs[0].state).toBe(r.data.jobs[0].status);
    }
    const done = await until(
      'the group to succeed',
      async () => {
        const r = await client.getGroupStatus('slow_group');
        return r.data.state === 'SUCCESS' ? r : undefined;
      },
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expectGoDecodes(done.data, GROUP_STATUS_RESP);
    expect(done.data).toMatchObject({ group_id: 'slow_group', state: 'SUCCESS', status: 'SUCCESS' });
    expect(done.data.jobs).toEqual([expect.objectContaining({ job_id: 'job-slow', state: 'SUCCESS', status: 'SUCCESS', count: 1, error: '' })]);

    const two = await client.postJobGroup({
      group_id: 'testgroup',
      jobs: [
        { job_id: 'job1_group', task: 'get_ledger_totals', queue: 'ledger', retries: 4, args: ['1'] },
        { job_id: 'job2_group', task: 'get_ledger_totals', queue: 'ledger', retries: 3, args: ['3'] },
      ],
    });
    expect(two.code).toBe(200);
    expectGoDecodes(two.data, GROUP_RESP);
    const status = await client.getGroupStatus('testgroup');
    expect(status.code).toBe(200);
    expectGoDecodes(status.data, GROUP_STATUS_RESP);
    expect(status.data.jobs.map((j: any) => j.job_id)).toEqual(['job1_group', 'job2_group']);
  });
});

describe('error codes on the wire', () => {
  it("the typed client's error carries the answer's code: a 409 job_active, a 404 job_not_found", async () => {
    const typed = createSqlJobberClient({ baseUrl: url });
    const later = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    await typed.submitJob('get_digest', { job_id: 'job-409', queue: 'digest_low', eta: later });
    const conflict = await typed.submitJob('get_digest', { job_id: 'job-409', queue: 'digest_low', eta: later }).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(SqlJobberApiError);
    expect(conflict).toMatchObject({ status: 409, code: 'job_active', data: { job_id: 'job-409', status: 'PENDING' } });
    expect(await typed.job('no-such-job').catch((e: unknown) => e)).toMatchObject({ status: 404, code: 'job_not_found' });
    await typed.cancelJob('job-409');
  });

  it('a job ID "queue" is refused at submit, and GET /jobs/queue/{queue} still lists a queue', async () => {
    const refused = await client.postJob({ job_id: 'queue', task: 'get_digest', queue: 'digest_low' });
    expect(refused).toMatchObject({ code: 400, errorCode: 'invalid_request', message: expect.stringContaining('job_id: "queue" is reserved') });
    expect(await client.getPendingJobs('digest_low')).toMatchObject({ code: 200, data: [] });
    expect(await client.getJobStatus('queue')).toMatchObject({ code: 404, errorCode: 'job_not_found' });
  });

  it('what no route takes: 404 route_not_found, or 405 method_not_allowed with the Allow header', async () => {
    expect(await client.call('GET', '/no/such/route')).toMatchObject({ code: 404, status: 'error', errorCode: 'route_not_found', data: null });
    const res = await fetch(`${url}/tasks`, { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.json()).toMatchObject({ status: 'error', code: 'method_not_allowed', data: null });
  });
});
