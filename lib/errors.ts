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

/** A job with this ID is still PENDING, RETRY or STARTED (the old item is in `data`). */
export class JobActiveError extends SqlJobberError {
  constructor(jobId: string, status: string, data?: unknown) {
    super(`job "${jobId}" is still ${status}; wait for it to finish or cancel it first`, {
      code: 'job_active',
      statusCode: 409,
      data,
    });
  }
}

/** A request that is valid but does not fit the job's current state (409). */
export class ConflictError extends SqlJobberError {
  constructor(message: string, data?: unknown) {
    super(message, { code: 'conflict', statusCode: 409, data });
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
