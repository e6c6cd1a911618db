/**
 * A typed client for the SQL Jobber HTTP API, built on openapi-fetch and the
 * types generated from the service's OpenAPI document (./schema.ts). Every method
 * answers the `data` of the success envelope and throws SqlJobberApiError
 * (with the HTTP status and the service's message) otherwise.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

type Schemas = components['schemas'];
type Data<K extends keyof Schemas> = Schemas[K] extends { data: infer D } ? D : never;

export type TaskSummary = Data<'GetTasksAnswer'>[number];
export type JobRequest = Schemas['SubmitJobBody'];
export type SubmittedJob = Data<'SubmitJobAnswer'>;
export type JobStatus = Data<'GetJobAnswer'>;
export type JobState = JobStatus['status'];
export type CancelledJob = Data<'CancelJobAnswer'>;
export type ResultsPage = Data<'GetResultsAnswer'>;
export type PendingJob = Data<'GetQueueJobsAnswer'>[number];
export type QueueSummary = Data<'GetQueuesAnswer'>[number];
export type RecentJobsPage = Data<'ListJobsAnswer'>;
export type RecentJob = RecentJobsPage['jobs'][number];
export type GroupRequest = Schemas['SubmitGroupBody'];
export type SubmittedGroup = Data<'SubmitGroupAnswer'>;
export type GroupStatus = Data<'GetGroupAnswer'>;
export type CancelledGroup = Data<'CancelGroupAnswer'>;

export const FINAL_STATES: readonly JobState[] = ['SUCCESS', 'FAILURE', 'CANCELLED'];

/** An answer other than success: `status` is the HTTP status, `message` the service's. */
export class SqlJobberApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly data: unknown = null,
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
}

export interface ListJobsQuery {
  queue?: string;
  state?: JobState;
  task?: string;
  limit?: number;
  cursor?: string;
}

type Answer<T> = Promise<{ data?: { status: 'success'; data: T } | undefined; error?: unknown; response: Response }>;

async function unwrap<T>(call: Answer<T>): Promise<T> {
  const { data, error, response } = await call;
  if (data !== undefined && response.ok) return data.data;
  return failed(response, error);
}

function failed(response: Response, error: unknown): never {
  const body = error as { message?: string; data?: unknown } | undefined;
  throw new SqlJobberApiError(response.status, body?.message ?? `HTTP ${response.status} ${response.statusText}`, body?.data ?? null);
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
      return request;
    },
  });
  const job = (jobID: string) => ({ params: { path: { jobID } } });
  const group = (groupID: string) => ({ params: { path: { groupID } } });
  const waitParam = (wait?: number) => (wait === undefined ? {} : { query: { wait: String(Math.max(1, Math.min(MAX_WAIT_SECONDS, Math.ceil(wait)))) } });

  const client = {
    /** The openapi-fetch client itself, for anything the methods below do not cover. */
    http,
    /** GET /tasks: the registered tasks. */
    tasks: () => unwrap(http.GET('/tasks')),
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
    /** DELETE /jobs/{jobID}?purge=true: deletes a finished job and its results table. */
    purgeJob: (jobId: string) => unwrap(http.DELETE('/jobs/{jobID}', { params: { path: { jobID: jobId }, query: { purge: 'true' } } })),
    /** GET /jobs/{jobID}/results: one page of a SUCCESS job's rows. */
    async results(jobId: string, page: { limit?: number; cursor?: string } = {}): Promise<ResultsPage> {
      const { data, error, response } = await http.GET('/jobs/{jobID}/results', {
        params: { path: { jobID: jobId }, query: { ...(page.limit !== undefined ? { limit: String(page.limit) } : {}), ...(page.cursor ? { cursor: page.cursor } : {}) } },
        headers: { accept: 'application/json' },
      });
      // The route also speaks CSV (see resultsCsv); asked for JSON, it answers JSON.
      if (response.ok && data !== undefined && typeof data !== 'string') return data.data;
      return failed(response, error);
    },
    /** GET /jobs/{jobID}/results?format=csv: one page as CSV text, with the next page's cursor. */
    async resultsCsv(jobId: string, page: { limit?: number; cursor?: string } = {}): Promise<{ csv: string; nextCursor: string | null; count: number }> {
      const { data, response, error } = await http.GET('/jobs/{jobID}/results', {
        params: { path: { jobID: jobId }, query: { format: 'csv', ...(page.limit !== undefined ? { limit: String(page.limit) } : {}), ...(page.cursor ? { cursor: page.cursor } : {}) } },
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
  };
  return client;
}

export type SqlJobberClient = ReturnType<typeof createSqlJobberClient>;
