/**
 * One error model for the whole product. Every error a user can see carries a
 * stable `code`, the HTTP `statusCode` it maps to and whether its message may be
 * shown (`expose`, true below 500). Handlers turn these into the JSON envelope in
 * one place (handlers/http/respond.ts).
 */
export class SqlJobberError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly expose: boolean;
  readonly data: unknown;

  constructor(message: string, opts: { code: string; statusCode: number; data?: unknown; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = opts.code;
    this.statusCode = opts.statusCode;
    this.expose = opts.statusCode < 500;
    this.data = opts.data ?? null;
  }
}

/** Bad input in a request: a 400 whose message says what was wrong. */
export class InvalidRequestError extends SqlJobberError {
  constructor(message: string, data?: unknown) {
    super(message, { code: 'invalid_request', statusCode: 400, data });
  }
}

export class TaskNotFoundError extends SqlJobberError {
  constructor(task: string) {
    super(`unknown task "${task}"; GET /tasks lists the registered tasks`, { code: 'task_not_found', statusCode: 404 });
  }
}

export class JobNotFoundError extends SqlJobberError {
  constructor(jobId: string) {
    super(`unknown job "${jobId}"`, { code: 'job_not_found', statusCode: 404 });
  }
}

export class GroupNotFoundError extends SqlJobberError {
  constructor(groupId: string) {
    super(`unknown group "${groupId}"`, { code: 'group_not_found', statusCode: 404 });
  }
}

/** A job with this ID is still PENDING, RETRY or STARTED (409 `job_active`). */
export class JobActiveError extends SqlJobberError {
  readonly jobId: string;
  readonly status: string;
  constructor(jobId: string, status: string) {
    super(`job "${jobId}" is still ${status}; wait for it to finish or cancel it first`, {
      code: 'job_active',
      statusCode: 409,
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
      statusCode: 409,
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
      statusCode: 409,
      data: { job_id: jobId, status },
    });
    this.jobId = jobId;
    this.status = status;
  }
}

/** A results cursor from an earlier run of a reused job ID (409 `cursor_stale`). */
export class CursorStaleError extends SqlJobberError {
  readonly jobId: string;
  constructor(jobId: string) {
    super(`cursor: job "${jobId}" was run again since this cursor was made; start again without a cursor`, {
      code: 'cursor_stale',
      statusCode: 409,
      data: { job_id: jobId },
    });
    this.jobId = jobId;
  }
}

/** A group with this ID is still running: a new one, or a purge, must wait (409 `group_active`). */
export class GroupActiveError extends SqlJobberError {
  readonly groupId: string;
  constructor(groupId: string, what: string) {
    super(`group "${groupId}" is still running; ${what}`, { code: 'group_active', statusCode: 409, data: { group_id: groupId } });
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
      statusCode: 409,
      data: { group_id: groupId, status },
    });
    this.groupId = groupId;
    this.status = status;
  }
}

/**
 * A request that is valid but does not fit the current state (409 `conflict`).
 * Prefer the specific classes above, whose codes and fields say which conflict.
 */
export class ConflictError extends SqlJobberError {
  constructor(message: string, data?: unknown) {
    super(message, { code: 'conflict', statusCode: 409, data });
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
      statusCode: 400,
      data: { job_id: jobId },
    });
    this.jobId = jobId;
    this.table = table;
  }
}

/** Results that existed once but have expired (410). */
export class GoneError extends SqlJobberError {
  constructor(message: string) {
    super(message, { code: 'gone', statusCode: 410 });
  }
}

/**
 * A configuration or task file problem. `problems` lists every problem found,
 * each naming its key path or file:line, so one run shows them all.
 */
export class ConfigError extends SqlJobberError {
  readonly problems: string[];
  constructor(source: string, problems: string[]) {
    super(`${source}:\n  - ${problems.join('\n  - ')}`, { code: 'config_invalid', statusCode: 500 });
    this.problems = problems;
  }
}

/** A request body larger than the API accepts (413); the message names the limit. */
export class PayloadTooLargeError extends SqlJobberError {
  constructor(message: string) {
    super(message, { code: 'payload_too_large', statusCode: 413 });
  }
}
