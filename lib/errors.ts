import { ERROR_CODES, type ErrorCode } from './errorCodes.js';
import { quoteInput } from './quoteInput.js';

/**
 * One error model for the whole product. Every error a user can see carries a
 * stable `code` (lib/errorCodes.ts), the HTTP `statusCode` that code maps to and
 * whether its message may be shown (`expose`, true below 500). Handlers turn
 * these into the JSON envelope in one place (errorAnswer, handlers/http/httpRoute.ts).
 */
export class SqlJobberError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly expose: boolean;
  readonly data: unknown;

  constructor(message: string, opts: { code: ErrorCode; data?: unknown; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.statusCode = ERROR_CODES[opts.code].status;
    this.expose = this.statusCode < 500;
    this.data = opts.data ?? null;
  }
}

/** Bad input in a request: a 400 `invalid_request` whose message says what was wrong. */
export class InvalidRequestError extends SqlJobberError {
  constructor(message: string, data?: unknown) {
    super(message, { code: 'invalid_request', data });
  }
}

/** 404 `task_not_found`. */
export class TaskNotFoundError extends SqlJobberError {
  constructor(task: string) {
    super(`unknown task "${task}"; GET /tasks lists the registered tasks`, { code: 'task_not_found' });
  }
}

/** 404 `job_not_found`. */
export class JobNotFoundError extends SqlJobberError {
  constructor(jobId: string) {
    super(`unknown job "${jobId}"`, { code: 'job_not_found' });
  }
}

/** 404 `group_not_found`. */
export class GroupNotFoundError extends SqlJobberError {
  constructor(groupId: string) {
    super(`unknown group "${groupId}"`, { code: 'group_not_found' });
  }
}

/** 404 `schedule_not_found`. */
export class ScheduleNotFoundError extends SqlJobberError {
  constructor(scheduleId: string) {
    super(`unknown schedule "${scheduleId}"`, { code: 'schedule_not_found' });
  }
}

/** 409 `schedule_exists`: POST /schedules with the ID of a schedule that exists. */
export class ScheduleExistsError extends SqlJobberError {
  constructor(scheduleId: string) {
    super(`schedule "${scheduleId}" exists; delete it first, or choose another schedule_id`, { code: 'schedule_exists' });
  }
}

/** A job with this ID is still PENDING, RETRY or STARTED (409 `job_active`). */
export class JobActiveError extends SqlJobberError {
  readonly jobId: string;
  readonly status: string;
  constructor(jobId: string, status: string) {
    super(`job "${jobId}" is still ${status}; wait for it to finish or cancel it first`, {
      code: 'job_active',
      data: { job_id: jobId, status },
    });
    this.jobId = jobId;
    this.status = status;
  }
}

/** A cancel of a job that has already ended (409 `job_finished`). */
export class JobFinishedError extends SqlJobberError {
  readonly jobId: string;
  readonly status: string;
  constructor(jobId: string, status: string) {
    super(`job "${jobId}" is already ${status}; add ?purge=true to delete it and its results`, {
      code: 'job_finished',
      data: { job_id: jobId, status },
    });
    this.jobId = jobId;
    this.status = status;
  }
}

/** Results asked for a job that is not SUCCESS (409 `job_not_succeeded`). */
export class JobNotSucceededError extends SqlJobberError {
  readonly jobId: string;
  readonly status: string;
  constructor(jobId: string, status: string) {
    super(`job "${jobId}" is ${status}; results can be read once it is SUCCESS`, {
      code: 'job_not_succeeded',
      data: { job_id: jobId, status },
    });
    this.jobId = jobId;
    this.status = status;
  }
}

/** A results cursor made for other `select`, filters or `order` than the request's (409 `cursor_query_mismatch`). */
export class CursorQueryMismatchError extends SqlJobberError {
  constructor(jobId: string) {
    super(`cursor: made for another select, filter or order of job "${jobId}"'s results; send the same query as the page that gave it, or start again without a cursor`, {
      code: 'cursor_query_mismatch',
      data: { job_id: jobId },
    });
  }
}

/** An explore read of a job's results that ran past its statement timeout (422 `results_query_timeout`). */
export class ResultsQueryTimeoutError extends SqlJobberError {
  constructor(jobId: string, seconds: number) {
    super(
      `the query on job "${jobId}"'s results took longer than ${seconds} s; filter on columns the task indexes (its "-- index:" tag), ask for fewer groups, or read the results database directly`,
      { code: 'results_query_timeout', data: { job_id: jobId } },
    );
  }
}

/** A results cursor from an earlier run of a reused job ID (409 `cursor_stale`). */
export class CursorStaleError extends SqlJobberError {
  readonly jobId: string;
  constructor(jobId: string) {
    super(`cursor: job "${jobId}" was run again since this cursor was made; start again without a cursor`, {
      code: 'cursor_stale',
      data: { job_id: jobId },
    });
    this.jobId = jobId;
  }
}

/** A group with this ID is still running: a new one, or a purge, must wait (409 `group_active`). */
export class GroupActiveError extends SqlJobberError {
  readonly groupId: string;
  constructor(groupId: string, what: string) {
    super(`group "${groupId}" is still running; ${what}`, { code: 'group_active', data: { group_id: groupId } });
    this.groupId = groupId;
  }
}

/** A cancel of a group that has already ended (409 `group_finished`). */
export class GroupFinishedError extends SqlJobberError {
  readonly groupId: string;
  readonly status: string;
  constructor(groupId: string, status: string) {
    super(`group "${groupId}" is already ${status}; add ?purge=true to delete it and its results`, {
      code: 'group_finished',
      data: { group_id: groupId, status },
    });
    this.groupId = groupId;
    this.status = status;
  }
}

/**
 * A job ID whose results table name the results database cannot hold: under
 * MySQL's `lower_case_table_names`, upper-case letters are escaped, and the
 * escaped name would pass 63 characters. The job fails with this message.
 */
export class ResultsTableNameError extends SqlJobberError {
  readonly jobId: string;
  readonly table: string;
  constructor(jobId: string, table: string, why: string) {
    super(`job ID "${jobId}": its results table name "${table}" is ${[...table].length} characters, more than 63 (${why}); use a shorter job ID, or one with fewer upper-case letters and ":"`, {
      code: 'results_table_name',
      data: { job_id: jobId },
    });
    this.jobId = jobId;
    this.table = table;
  }
}

/** Results that existed once but have expired or were deleted (410 `results_gone`). */
/** GET /jobs/{jobID}/export of a job that asked for no export. */
export class ExportNotFoundError extends SqlJobberError {
  constructor(jobId: string) {
    super(`job "${jobId}" has no export; ask for one with "export": {"format": "csv"} in the job request`, { code: 'export_not_found' });
  }
}

export class ResultsGoneError extends SqlJobberError {
  constructor(message: string) {
    super(message, { code: 'results_gone' });
  }
}

/**
 * A configuration or task file problem. `problems` lists every problem found,
 * each naming its key path or file:line, so one run shows them all.
 */
export class ConfigError extends SqlJobberError {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}:\n  - ${problems.join('\n  - ')}`, { code: 'config_invalid' });
    this.problems = problems;
  }
}

/** A request body larger than the API accepts (413 `payload_too_large`); the message names the limit. */
export class PayloadTooLargeError extends SqlJobberError {
  constructor(message: string) {
    super(message, { code: 'payload_too_large' });
  }
}

/**
 * A request whose `Origin` header names another web origin than the API's own or
 * one of `[api] cors_origins` (403 `origin_not_allowed`): a page elsewhere trying
 * to use a browser's access to the API. Refused before anything is read or changed.
 */
export class OriginNotAllowedError extends SqlJobberError {
  constructor(origin: string) {
    super(
      `requests from the web origin ${quoteInput(origin)} are not allowed; only the API's own origin and those listed in [api] cors_origins may call it`,
      { code: 'origin_not_allowed' },
    );
  }
}

/** GET /jobs/queue/{queue} of a queue no config or task declares (404 `queue_not_found`). */
export class QueueNotFoundError extends SqlJobberError {
  constructor(queue: string) {
    super(`unknown queue ${quoteInput(queue)}`, { code: 'queue_not_found' });
  }
}

/** A result row too large for any HTTP answer (413 `row_too_large`). */
export class RowTooLargeError extends SqlJobberError {
  constructor(jobId: string, row: number, bytes: number) {
    super(`row ${row} of job "${jobId}" is too large for an HTTP answer (${Math.round(bytes / 1e6)} MB); read it from the results database`, {
      code: 'row_too_large',
    });
  }
}

/** A path no route has (404 `route_not_found`). */
export class RouteNotFoundError extends SqlJobberError {
  constructor(method: string, path: string) {
    super(`no route ${method} ${quoteInput(path)}; GET /openapi.json lists the routes`, { code: 'route_not_found' });
  }
}

/** A route's path with a method it does not have (405 `method_not_allowed`); `allow` lists the ones it has. */
export class MethodNotAllowedError extends SqlJobberError {
  readonly allow: readonly string[];
  constructor(method: string, path: string, allow: readonly string[]) {
    super(`${method} is not allowed on ${quoteInput(path)}; use ${allow.join(' or ')}`, { code: 'method_not_allowed' });
    this.allow = allow;
  }
}

/** No valid identity (a missing, malformed or refused token): a 401 `unauthorized`. */
export class UnauthorizedError extends SqlJobberError {
  constructor(message: string) {
    super(message, { code: 'unauthorized' });
  }
}

/** A caller that may not do what it asks (an operator-only route or filter): a 403 `forbidden`. */
export class ForbiddenError extends SqlJobberError {
  constructor(message: string) {
    super(message, { code: 'forbidden' });
  }
}

/** `?run=` names another run than the job ID's current one: a 409 `run_changed` carrying the current run. */
export class RunChangedError extends SqlJobberError {
  readonly runId: string;
  constructor(jobId: string, expected: string, runId: string) {
    super(`job "${jobId}" was run again since run "${expected}"; its current run is "${runId}": read its status again`, {
      code: 'run_changed',
      data: { job_id: jobId, run_id: runId },
    });
    this.runId = runId;
  }
}

/**
 * 429 `tenant_queue_full`: the tenant has `tenant_max_queued` jobs waiting on the
 * queue (lib/jobs/admission.ts); nothing was recorded. `retryAfterSeconds` goes out
 * as the Retry-After header.
 */
export class TenantQueueFullError extends SqlJobberError {
  readonly retryAfterSeconds: number;
  constructor(queue: string, maxQueued: number, retryAfterSeconds = 5) {
    super(`queue "${queue}" already holds ${maxQueued} waiting jobs of this tenant (tenant_max_queued); submit again later, or cancel some`, {
      code: 'tenant_queue_full',
      data: { queue, tenant_max_queued: maxQueued, retry_after: retryAfterSeconds },
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
