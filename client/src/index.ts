/**
 * A typed client for the SQL Jobber HTTP API, built on openapi-fetch and the
 * types generated from the service's OpenAPI document (./schema.ts). Every method
 * answers the `data` of the success envelope and throws SqlJobberApiError
 * (with the HTTP status, the error's stable `code` and the service's message)
 * otherwise.
 */
import createClient, { type Client } from 'openapi-fetch';
import { resultsQueryString, type ResultsQuery } from './resultsQuery.js';
import type { components, operations, paths } from './schema.js';
import type { TaskArgs, TaskName } from './tasks.js';

export type { components, operations, paths, TaskArgs, TaskName };
export { quoteColumn, resultsQueryParams, resultsQueryString } from './resultsQuery.js';
export type { AggregateFn, FilterOp, ResultsFilter, ResultsOrder, ResultsQuery, ResultsTarget } from './resultsQuery.js';

type Schemas = components['schemas'];
type Data<K extends keyof Schemas> = Schemas[K] extends { data: infer D } ? D : never;

export type TaskSummary = Data<'GetTasksAnswer'>[number];
export type JobRequest = Schemas['SubmitJobBody'];
/** A job request's fields other than `args` (and `task`, which `submit` names). */
export type JobOptions = Omit<JobRequest, 'args' | 'task'>;
export type SubmittedJob = Data<'SubmitJobAnswer'>;
export type JobStatus = Data<'GetJobAnswer'>;
export type JobState = JobStatus['status'];
export type CancelledJob = Data<'CancelJobAnswer'>;
export type ResultsPage = Data<'GetResultsAnswer'>;
export type ExportLinks = Data<'GetExportAnswer'>;
export type PendingJob = Data<'GetQueueJobsAnswer'>[number];
export type QueueSummary = Data<'GetQueuesAnswer'>[number];
export type QueueStats = Data<'GetQueueStatsAnswer'>;
export type QueueSeries = QueueStats['queues'][number];
export type RecentJobsPage = Data<'ListJobsAnswer'>;
export type RecentJob = RecentJobsPage['jobs'][number];
export type GroupRequest = Schemas['SubmitGroupBody'];
export type SubmittedGroup = Data<'SubmitGroupAnswer'>;
export type GroupStatus = Data<'GetGroupAnswer'>;
export type CancelledGroup = Data<'CancelGroupAnswer'>;
export type ScheduleRequest = Schemas['SubmitScheduleBody'];
export type ScheduleStatus = Data<'GetScheduleAnswer'>;

/** An error answer's stable code: decide on this, never on the message. */
export type ErrorCode = Schemas['Error']['code'];

export const FINAL_STATES: readonly JobState[] = ['SUCCESS', 'FAILURE', 'CANCELLED'];

/**
 * An answer other than success: `status` is the HTTP status, `code` the
 * service's stable error code (`unknown` for an answer that did not come from
 * the service, such as a proxy's), `message` the service's words for people.
 */
export class SqlJobberApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly data: unknown = null,
    readonly code: ErrorCode | 'unknown' = 'unknown',
  ) {
    super(message);
    this.name = 'SqlJobberApiError';
  }
}

export interface ClientOptions {
  /** The API's base URL, e.g. http://127.0.0.1:6060 (no trailing slash needed). */
  baseUrl: string;
  /** A bearer token (JWT auth), or a function that returns the current one. */
  token?: string | (() => string | undefined | null);
  /** A fetch of your own (tests, retries, SigV4 signing). */
  fetch?: typeof globalThis.fetch;
  /**
   * The tenant to act for, sent as `X-Tenant-Id` on every request: a trusted
   * backend (auth `iam` or `none`) names its tenant; with a JWT, only an
   * operator may name one other than its own.
   */
  tenant?: string;
}

export interface ListJobsQuery {
  queue?: string;
  state?: JobState;
  task?: string;
  /** Operators only: only this tenant's jobs. */
  tenant?: string;
  limit?: number;
  cursor?: string;
}

type Answer<T> = Promise<{ data?: { status: 'success'; data: T } | undefined; error?: unknown; response: Response }>;

async function unwrap<T>(call: Answer<T>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) return failed(response, error);
  // A 2xx that is not the service's answer (an empty body, or one without `data`, from a proxy say) is an error, never `undefined`.
  if (data === null || typeof data !== 'object' || !('data' in data)) {
    throw new SqlJobberApiError(response.status, `HTTP ${response.status}: the answer holds no "data"`, null, 'unknown');
  }
  return data.data;
}

function failed(response: Response, error: unknown): never {
  const body = (error && typeof error === 'object' ? error : undefined) as { message?: string; data?: unknown; code?: ErrorCode } | undefined;
  throw new SqlJobberApiError(response.status, body?.message ?? `HTTP ${response.status} ${response.statusText}`, body?.data ?? null, body?.code ?? 'unknown');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The longest long-poll the API allows, seconds. */
export const MAX_WAIT_SECONDS = 20;

/**
 * Long-polls `read(wait)` until `done` or `timeoutMs`; an answer that came back
 * at once though not done (a server without long-polls) is followed by a pause.
 */
async function waitFinal<T>(read: (wait: number) => Promise<T>, done: (value: T) => boolean, opts: { timeoutMs?: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    const left = deadline - Date.now();
    const started = Date.now();
    const value = await read(Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.ceil(left / 1000))));
    if (done(value) || Date.now() >= deadline) return value;
    if (Date.now() - started < 500) await sleep(opts.intervalMs ?? 250);
  }
}

/** A client for one SQL Jobber API. */
export function createSqlJobberClient(options: ClientOptions) {
  const http: Client<paths> = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const token = () => (typeof options.token === 'function' ? options.token() : options.token);
  http.use({
    onRequest({ request }) {
      const t = token();
      if (t) request.headers.set('authorization', `Bearer ${t}`);
      if (options.tenant !== undefined) request.headers.set('x-tenant-id', options.tenant);
      return request;
    },
  });
  const job = (jobID: string) => ({ params: { path: { jobID } } });
  const group = (groupID: string) => ({ params: { path: { groupID } } });
  const schedule = (scheduleID: string) => ({ params: { path: { scheduleID } } });
  const waitParam = (wait?: number) => (wait === undefined ? {} : { query: { wait: String(Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.ceil(wait)))) } });

  const client = {
    /** The openapi-fetch client itself, for anything the methods below do not cover. */
    http,
    /** GET /tasks: the registered tasks. */
    tasks: () => unwrap(http.GET('/tasks')),
    /**
     * POST /tasks/{taskName}/jobs for a task with declared parameters, its `args`
     * by name and typed from the task file (client/src/tasks.ts):
     * `submit('get_orders_by_customer', { customer_id: 42 })`.
     */
    submit: <T extends TaskName>(task: T, args: TaskArgs[T], options: JobOptions = {}) =>
      unwrap(http.POST('/tasks/{taskName}/jobs', { params: { path: { taskName: task } }, body: { ...options, args } as unknown as JobRequest })),
    /** POST /tasks/{taskName}/jobs: schedules a job. */
    submitJob: (taskName: string, request: JobRequest = {}) => unwrap(http.POST('/tasks/{taskName}/jobs', { params: { path: { taskName } }, body: request })),
    /** GET /jobs/{jobID}[?wait=N]: a job's status; with `wait` (1..20 s), as soon as it is final or after that long. */
    job: (jobId: string, opts: { wait?: number } = {}) =>
      unwrap(http.GET('/jobs/{jobID}', { params: { path: { jobID: jobId }, ...waitParam(opts.wait) } })),
    /**
     * Waits for a job to be final, by long-polls of up to 20 s (or `timeoutMs`
     * passes: then the last status is returned as it is). Against a server
     * without long-polls, it polls every `intervalMs`.
     */
    async waitForJob(jobId: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<JobStatus> {
      return waitFinal((wait) => client.job(jobId, { wait }), (j) => FINAL_STATES.includes(j.status), opts);
    },
    /** DELETE /jobs/{jobID}: cancels a waiting or running job. */
    cancelJob: (jobId: string) => unwrap(http.DELETE('/jobs/{jobID}', job(jobId))),
    /** GET /jobs/{jobID}/export: presigned URLs of a SUCCESS job's export manifest and parts (valid for [export] url_ttl). */
    exportLinks: (jobId: string) => unwrap(http.GET('/jobs/{jobID}/export', job(jobId))),
    /** DELETE /jobs/{jobID}?purge=true: deletes a finished job and its results table. */
    purgeJob: (jobId: string) => unwrap(http.DELETE('/jobs/{jobID}', { params: { path: { jobID: jobId }, query: { purge: 'true' } } })),
    /**
     * GET /jobs/{jobID}/results: one page of a SUCCESS job's rows; with
     * `select`, `filters` and `order`, only the rows that match, in that order,
     * or aggregates (pass the same query with each next cursor).
     */
    async results(jobId: string, page: Omit<ResultsQuery, 'format'> & { count?: 'exact' } = {}): Promise<ResultsPage> {
      const { count, ...query } = page;
      const { data, error, response } = await http.GET('/jobs/{jobID}/results', {
        params: { path: { jobID: jobId } },
        // Filters repeat names and are named by columns: the builder writes the query string.
        querySerializer: () => resultsQueryString(query),
        // A filtered or aggregated page counts its matches only when asked (one more query on the results database).
        headers: { accept: 'application/json', ...(count ? { prefer: `count=${count}` } : {}) },
      });
      // The route also speaks CSV (see resultsCsv); asked for JSON, it answers JSON.
      if (response.ok && data !== undefined && typeof data !== 'string') return data.data;
      return failed(response, error);
    },
    /** GET /jobs/{jobID}/results?format=csv: one page as CSV text, with the next page's cursor. */
    async resultsCsv(jobId: string, page: Omit<ResultsQuery, 'format'> = {}): Promise<{ csv: string; nextCursor: string | null; count: number }> {
      const { data, response, error } = await http.GET('/jobs/{jobID}/results', {
        params: { path: { jobID: jobId } },
        querySerializer: () => resultsQueryString({ ...page, format: 'csv' }),
        parseAs: 'text',
      });
      if (!response.ok) {
        let body: unknown;
        try {
          body = JSON.parse(String(error));
        } catch {}
        return failed(response, body);
      }
      return { csv: String(data ?? ''), nextCursor: response.headers.get('x-next-cursor'), count: Number(response.headers.get('x-count') ?? 0) };
    },
    /** GET /jobs: recent jobs, newest first; pass `next_cursor` back as `cursor` for older ones. */
    listJobs: (query: ListJobsQuery = {}) => {
      const { limit, ...rest } = query;
      return unwrap(http.GET('/jobs', { params: { query: { ...rest, ...(limit !== undefined ? { limit: String(limit) } : {}) } } }));
    },
    /** GET /jobs/queue/{queue}: waiting jobs of a queue, oldest first. */
    queueJobs: (queue: string) => unwrap(http.GET('/jobs/queue/{queue}', { params: { path: { queue } } })),
    /** GET /queues: each queue with its live counts. */
    queues: () => unwrap(http.GET('/queues')),
    /** GET /queues/stats: each queue's figures over the last hour (`1h`, one-minute buckets) or day (`1d`, 15-minute buckets). */
    queueStats: (query: { window?: '1h' | '1d'; queue?: string } = {}) => unwrap(http.GET('/queues/stats', { params: { query } })),
    /** POST /groups: schedules a group of jobs. */
    submitGroup: (request: GroupRequest) => unwrap(http.POST('/groups', { body: request })),
    /** GET /groups/{groupID}[?wait=N]: a group's status and members; with `wait`, as soon as it is final or after that long. */
    group: (groupId: string, opts: { wait?: number } = {}) =>
      unwrap(http.GET('/groups/{groupID}', { params: { path: { groupID: groupId }, ...waitParam(opts.wait) } })),
    /** Waits for a group to be final (see waitForJob). */
    async waitForGroup(groupId: string, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<GroupStatus> {
      return waitFinal((wait) => client.group(groupId, { wait }), (g) => (FINAL_STATES as readonly string[]).includes(g.status), opts);
    },
    /** DELETE /groups/{groupID}: cancels a group. */
    cancelGroup: (groupId: string) => unwrap(http.DELETE('/groups/{groupID}', group(groupId))),
    /** DELETE /groups/{groupID}?purge=true: deletes a finished group and its jobs' results. */
    purgeGroup: (groupId: string) => unwrap(http.DELETE('/groups/{groupID}', { params: { path: { groupID: groupId }, query: { purge: 'true' } } })),
    /** POST /schedules: records a schedule, a job of a task at each tick of a cron pattern. */
    submitSchedule: (request: ScheduleRequest) => unwrap(http.POST('/schedules', { body: request })),
    /** GET /schedules: the tenant's schedules, by next run. */
    schedules: () => unwrap(http.GET('/schedules')),
    /** GET /schedules/{scheduleID}: a schedule, its next and last runs. */
    schedule: (scheduleId: string) => unwrap(http.GET('/schedules/{scheduleID}', schedule(scheduleId))),
    /** POST /schedules/{scheduleID}/pause: no tick makes a job until it is resumed. */
    pauseSchedule: (scheduleId: string) => unwrap(http.POST('/schedules/{scheduleID}/pause', schedule(scheduleId))),
    /** POST /schedules/{scheduleID}/resume: ticks make jobs again, from the next one. */
    resumeSchedule: (scheduleId: string) => unwrap(http.POST('/schedules/{scheduleID}/resume', schedule(scheduleId))),
    /** DELETE /schedules/{scheduleID}: deletes a schedule (its jobs stay). */
    deleteSchedule: (scheduleId: string) => unwrap(http.DELETE('/schedules/{scheduleID}', schedule(scheduleId))),
  };
  return client;
}

export type SqlJobberClient = ReturnType<typeof createSqlJobberClient>;
