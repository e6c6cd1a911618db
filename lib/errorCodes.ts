/**
 * Every error answer's `code`: stable, snake_case, and what a client decides on
 * (never the message, which may be reworded). Each code has one HTTP status and
 * a description, which the OpenAPI document shows beside the code's enum.
 * A code is never renamed or reused for another meaning; a new one is added.
 */
export const ERROR_CODES = {
  invalid_request: { status: 400, description: 'bad input; the message names the field and what was wrong' },
  results_table_name: { status: 400, description: "the job ID makes a results table name longer than the results database allows; use a shorter job ID" },
  origin_not_allowed: {
    status: 403,
    description: "a browser request from another web origin than the API's own or those [api] cors_origins lists; nothing was done",
  },
  unauthorized: { status: 401, description: 'no valid token: missing, malformed, expired, of another issuer or audience, or without the tenant claim' },
  forbidden: { status: 403, description: 'the caller may not do this: an operator-only route or filter, or X-Tenant-Id from a caller that may not name a tenant' },
  task_not_found: { status: 404, description: 'no task of that name; GET /tasks lists them' },
  job_not_found: { status: 404, description: 'no job of that ID (or it has expired)' },
  group_not_found: { status: 404, description: 'no group of that ID (or it has expired)' },
  export_not_found: { status: 404, description: 'the job asked for no export (its request had no "export" and its task no export tag)' },
  schedule_not_found: { status: 404, description: 'no schedule of that ID; GET /schedules lists them' },
  queue_not_found: { status: 404, description: 'no queue of that name; GET /queues lists them' },
  route_not_found: { status: 404, description: 'no route has this path; GET /openapi.json lists them' },
  method_not_allowed: { status: 405, description: "the path exists but not with this method; the Allow header lists the path's methods" },
  job_active: { status: 409, description: 'a job with this ID is still PENDING, RETRY or STARTED; wait for it or cancel it first' },
  job_finished: { status: 409, description: 'the job has already ended; add ?purge=true to delete it and its results' },
  job_not_succeeded: { status: 409, description: 'results are read once the job is SUCCESS' },
  cursor_stale: { status: 409, description: 'the job ID was run again since the cursor was made; start again without a cursor' },
  cursor_query_mismatch: { status: 409, description: 'the cursor was made for another select, filter or order; send the same query again, or start without a cursor' },
  run_changed: { status: 409, description: 'the job ID was run again since the status named in ?run= was read; read its status again' },
  group_active: { status: 409, description: 'a group with this ID is still running; wait for it or cancel it first' },
  group_finished: { status: 409, description: 'the group has already ended; add ?purge=true to delete it and its results' },
  tenant_queue_full: {
    status: 429,
    description: "the caller's tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; submit again after Retry-After seconds, or cancel some",
  },
  schedule_exists: { status: 409, description: 'a schedule with this ID exists; delete it first, or choose another schedule_id' },
  results_query_timeout: { status: 422, description: "a filtered, ordered or aggregated read of the results took longer than the API waits; filter on the task's indexed columns, or read the results database directly" },
  dry_run_failed: { status: 422, description: "the task's source database could not describe or plan its query with these arguments (its message says why); nothing ran" },
  results_gone: { status: 410, description: "the job's results table has expired or was deleted" },
  payload_too_large: { status: 413, description: 'the request body is larger than the API accepts; the message names the limit' },
  row_too_large: { status: 413, description: 'a single result row is too large for an HTTP answer; read it from the results database' },
  config_invalid: { status: 500, description: 'a configuration or task file problem (answered as `internal`)' },
  internal: { status: 500, description: 'our own fault, whatever it was; see the function logs' },
} as const satisfies Record<string, { status: number; description: string }>;

/** A stable error code (see ERROR_CODES). */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * A code an answer can carry: every code below 500, and `internal` for any
 * fault of ours (whose own code, like `config_invalid`, stays in the logs).
 */
export type WireErrorCode = { [C in ErrorCode]: (typeof ERROR_CODES)[C]['status'] extends 500 ? (C extends 'internal' ? C : never) : C }[ErrorCode];

/** Every WireErrorCode, in ERROR_CODES' order (the OpenAPI document's enum). */
export const WIRE_ERROR_CODES = (Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => ERROR_CODES[code].status < 500 || code === 'internal') as WireErrorCode[];
