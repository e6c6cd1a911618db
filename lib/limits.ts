/**
 * Every limit a request is checked against before anything is written, so that
 * no request can reach a limit of DynamoDB (400 KB per item, 4 MB per
 * transaction, 2,048 bytes per key), SQS or Lambda (6 MB per invocation) and
 * turn into a 500. The table of docs/limits.md lists them with the answer a
 * request gets past each one.
 */

/** A request body, in bytes (413 past it); below Lambda's 6 MB invocation payload. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Nesting of a JSON body: a group job's args sit at depth 4. */
export const MAX_JSON_DEPTH = 10;

/** Arguments of one job. */
export const MAX_ARGS = 100;

/** One argument, in UTF-8 bytes. */
export const MAX_ARG_BYTES = 32 * 1024;

/** All arguments of one job together, in UTF-8 bytes: a job's item stays below a sixth of DynamoDB's 400 KB. */
export const MAX_JOB_ARGS_BYTES = 64 * 1024;

/**
 * All arguments of all jobs of a group together, in UTF-8 bytes. A group's jobs
 * are written 100 to a transaction; this keeps each one near a quarter of
 * DynamoDB's 4 MB.
 */
export const MAX_GROUP_ARGS_BYTES = 1024 * 1024;

/**
 * Warnings kept on a job's record (values stored as NULL, lib/db/port/types.ts
 * RunTaskResult.warnings): at most this many lines, each at most
 * MAX_WARNING_CHARS characters, so the record stays far below DynamoDB's 400 KB.
 */
export const MAX_WARNINGS = 20;
export const MAX_WARNING_CHARS = 500;
/** A job's `error` keeps at most this many characters (lib/jobs/capWarnings.ts capError): a record, and its completion event, stay small. */
export const MAX_ERROR_CHARS = 1000;
