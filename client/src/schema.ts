// Generated from the OpenAPI document by scripts/generateClient.ts (npm run generate:client). Do not edit.

export interface paths {
    "/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The registered tasks (their SQL for operators only) */
        get: operations["getTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskName}/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a job of a task */
        post: operations["submitJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/{taskName}/dry-run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A job request's result columns and the planner's estimate, without running it (no job, no message) */
        post: operations["dryRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent jobs, newest first, keyset-paged */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{jobID}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's status */
        get: operations["getJob"];
        put?: never;
        post?: never;
        /** Cancel a job, or purge a finished one and its results */
        delete: operations["cancelJob"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{jobID}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of a SUCCESS job's result rows (JSON or CSV) */
        get: operations["getResults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{jobID}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Presigned URLs of a SUCCESS job's export to S3: its manifest and parts */
        get: operations["getExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/queue/{queue}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Waiting jobs of a queue, oldest first */
        get: operations["getQueueJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each queue: concurrency, timeout, live counts (operators only) */
        get: operations["getQueues"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queues/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each queue's throughput, run time and queue wait (p50, p95), waiting and running counts and failure rate over the last hour or day, from the job records (operators only) */
        get: operations["getQueueStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a group of jobs, at most `concurrency` running at once */
        post: operations["submitGroup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/groups/{groupID}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A group's status and its members */
        get: operations["getGroup"];
        put?: never;
        post?: never;
        /** Cancel a group, or purge a finished one and its results */
        delete: operations["cancelGroup"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's schedules (an operator's: every tenant's), by next run */
        get: operations["listSchedules"];
        put?: never;
        /** Record a schedule: a job of a task at each tick of a cron pattern, in a timezone */
        post: operations["submitSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/{scheduleID}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A schedule, its next run and its last run */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        /** Delete a schedule (the jobs it made stay) */
        delete: operations["deleteSchedule"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/{scheduleID}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause a schedule: no tick makes a job until it is resumed */
        post: operations["pauseSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/{scheduleID}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a schedule from its next tick (the paused ones are not caught up) */
        post: operations["resumeSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: operations["getOpenApi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator console */
        get: operations["getConsole"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ui/{proxy}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The operator console's pages and files */
        get: operations["getConsoleFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/get_orders_by_customer/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a job of task get_orders_by_customer */
        post: operations["submitJob_get_orders_by_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/get_sales_by_day/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a job of task get_sales_by_day */
        post: operations["submitJob_get_sales_by_day"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/get_customers_by_country/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a job of task get_customers_by_country */
        post: operations["submitJob_get_customers_by_country"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/tasks/slow_query/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Schedule a job of task slow_query */
        post: operations["submitJob_slow_query"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            /** @constant */
            status: "error";
            /**
             * @description what went wrong, stable: decide on this, never on the message.
             *
             *     - `invalid_request` (400): bad input; the message names the field and what was wrong
             *     - `results_table_name` (400): the job ID makes a results table name longer than the results database allows; use a shorter job ID
             *     - `origin_not_allowed` (403): a browser request from another web origin than the API's own or those [api] cors_origins lists; nothing was done
             *     - `unauthorized` (401): no valid token: missing, malformed, expired, of another issuer or audience, or without the tenant claim
             *     - `forbidden` (403): the caller may not do this: an operator-only route or filter, or X-Tenant-Id from a caller that may not name a tenant
             *     - `task_not_found` (404): no task of that name; GET /tasks lists them
             *     - `job_not_found` (404): no job of that ID (or it has expired)
             *     - `group_not_found` (404): no group of that ID (or it has expired)
             *     - `export_not_found` (404): the job asked for no export (its request had no "export" and its task no export tag)
             *     - `schedule_not_found` (404): no schedule of that ID; GET /schedules lists them
             *     - `queue_not_found` (404): no queue of that name; GET /queues lists them
             *     - `route_not_found` (404): no route has this path; GET /openapi.json lists them
             *     - `method_not_allowed` (405): the path exists but not with this method; the Allow header lists the path's methods
             *     - `job_active` (409): a job with this ID is still PENDING, RETRY or STARTED; wait for it or cancel it first
             *     - `job_finished` (409): the job has already ended; add ?purge=true to delete it and its results
             *     - `job_not_succeeded` (409): results are read once the job is SUCCESS
             *     - `cursor_stale` (409): the job ID was run again since the cursor was made; start again without a cursor
             *     - `cursor_query_mismatch` (409): the cursor was made for another select, filter or order; send the same query again, or start without a cursor
             *     - `run_changed` (409): the job ID was run again since the status named in ?run= was read; read its status again
             *     - `group_active` (409): a group with this ID is still running; wait for it or cancel it first
             *     - `group_finished` (409): the group has already ended; add ?purge=true to delete it and its results
             *     - `tenant_queue_full` (429): the caller's tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; submit again after Retry-After seconds, or cancel some
             *     - `schedule_exists` (409): a schedule with this ID exists; delete it first, or choose another schedule_id
             *     - `results_query_timeout` (422): a filtered, ordered or aggregated read of the results took longer than the API waits; filter on the task's indexed columns, or read the results database directly
             *     - `dry_run_failed` (422): the task's source database could not describe or plan its query with these arguments (its message says why); nothing ran
             *     - `results_gone` (410): the job's results table has expired or was deleted
             *     - `payload_too_large` (413): the request body is larger than the API accepts; the message names the limit
             *     - `row_too_large` (413): a single result row is too large for an HTTP answer; read it from the results database
             *     - `internal` (500): our own fault, whatever it was; see the function logs
             * @enum {string}
             */
            code: "invalid_request" | "results_table_name" | "origin_not_allowed" | "unauthorized" | "forbidden" | "task_not_found" | "job_not_found" | "group_not_found" | "export_not_found" | "schedule_not_found" | "queue_not_found" | "route_not_found" | "method_not_allowed" | "job_active" | "job_finished" | "job_not_succeeded" | "cursor_stale" | "cursor_query_mismatch" | "run_changed" | "group_active" | "group_finished" | "tenant_queue_full" | "schedule_exists" | "results_query_timeout" | "dry_run_failed" | "results_gone" | "payload_too_large" | "row_too_large" | "internal";
            /** @description what was wrong, and what to do */
            message: string;
            /** @description for a 409, the job or group and its status; otherwise null */
            data: unknown;
        };
        GetTasksAnswer: {
            /** @constant */
            status: "success";
            data: {
                name: string;
                queue: string;
                dbs: string[];
                results: string[];
                raw: boolean;
                /** @description the number of positional arguments */
                args: number;
                /** @description the task's declared parameters, in order; absent: positional string arguments */
                params?: {
                    name: string;
                    /** @enum {string} */
                    type: "int" | "bigint" | "numeric" | "text" | "bool" | "date" | "timestamp" | "timestamptz" | "enum" | "identifier";
                    /** @description a list of values of the type */
                    array: boolean;
                    required: boolean;
                    /** @description the canonical value used when a request gives none (without a default: NULL) */
                    default?: string;
                    /** @description the most characters of a text, or the most items of a list */
                    max?: number;
                    /** @description the values an enum or identifier takes */
                    values?: string[];
                    /** @description `tenant` or `claim:NAME`: the value comes from the caller's identity; a request cannot give it */
                    from?: string;
                }[];
                /** @description statement timeout in seconds, when the task sets one */
                timeout?: number;
                /** @description the query as written in the task file; operators only */
                sql?: string;
                /** @description the task's guardrails: its tags over its queue's and [app]'s defaults; absent keys are not set */
                guardrails?: {
                    /** @description the most rows its results table may get */
                    max_rows?: number;
                    /** @description no row starts once more than this many bytes were written */
                    max_result_bytes?: number;
                    /** @description the most the planner's estimate may be (PostgreSQL: EXPLAIN total cost; MySQL/MariaDB: estimated rows) */
                    max_cost?: number;
                    /**
                     * @description past max_rows or max_result_bytes: FAILURE with no table (fail), or SUCCESS with the rows before the limit (truncate)
                     * @enum {string}
                     */
                    on_limit: "fail" | "truncate";
                };
            }[];
        };
        SubmitJobAnswer: {
            /** @constant */
            status: "success";
            data: {
                job_id: string;
                task_name: string;
                /** @description the task again, under dungbeetle v2's name */
                task: string;
                queue: string;
                /** @description RFC 3339 (2030-01-01T09:00:00Z), which Go clients decode into time.Time */
                eta: string | null;
                retries: number;
            };
        };
        SubmitJobBody: {
            job_id?: string;
            task?: string;
            queue?: string;
            eta?: string | null;
            retries?: number;
            ttl?: number;
            args?: (string | number | boolean)[] | null;
            db?: string;
            max_age?: number;
            priority?: number;
            export?: {
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression?: "gzip" | "none";
                part_rows?: number;
            };
            results?: boolean;
        };
        DryRunAnswer: {
            /** @constant */
            status: "success";
            data: {
                task: string;
                /** @description the source database the job would run on (its `db`, or one of the task's picked as a job picks it) */
                db: string;
                /** @description the results database whose column types are shown */
                results_db: string;
                /** @description the results table's columns after `_row`, in order */
                columns: {
                    /** @description the column name in the results table (duplicates and empty names made unique, as a run makes them) */
                    name: string;
                    /** @description its portable type, as GET /jobs/{jobID}/results names it (BIGINT, DECIMAL, TEXT, JSON...) */
                    type: string;
                    /** @description the SQL type the results table gets on the results database */
                    sql_type: string;
                }[];
                estimate: {
                    /** @description the planner's row estimate; null when it gave none */
                    rows: number | null;
                    /** @description what max_cost is compared with; null when the plan gave none */
                    cost: number | null;
                    /** @description what cost is: PostgreSQL EXPLAIN total cost, or MySQL/MariaDB EXPLAIN estimated rows */
                    cost_is: string;
                };
                /** @description the task's max_cost; null when none */
                max_cost: number | null;
                /** @description a job of this request would end FAILURE without running, its estimate over max_cost */
                over_max_cost: boolean;
            };
        };
        DryRunBody: {
            job_id?: string;
            task?: string;
            queue?: string;
            eta?: string | null;
            retries?: number;
            ttl?: number;
            args?: (string | number | boolean)[] | null;
            db?: string;
            max_age?: number;
            priority?: number;
            export?: {
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression?: "gzip" | "none";
                part_rows?: number;
            };
            results?: boolean;
        };
        ListJobsAnswer: {
            /** @constant */
            status: "success";
            data: {
                jobs: {
                    job_id: string;
                    /** @description the job's tenant; in operators' listings only */
                    tenant?: string;
                    /** @enum {string} */
                    status: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                    task: string;
                    queue: string;
                    count: number | null;
                    error: string;
                    attempt: number;
                    retries: number;
                    eta: string | null;
                    group_id: string | null;
                    /** @description ISO 8601, UTC */
                    created_at: string;
                    started_at: string | null;
                    finished_at: string | null;
                    /** @description values the results database could not hold, stored as NULL (NaN or ±Infinity in a MySQL DOUBLE): one line per column and reason; at most 20 lines of at most 500 characters; empty when none */
                    warnings: string[];
                }[];
                /** @description pass back as cursor for the next (older) page; null when there is none */
                next_cursor: string | null;
            };
        };
        GetJobAnswer: {
            /** @constant */
            status: "success";
            data: {
                job_id: string;
                /** @description this submission of the job ID; GET /jobs/{jobID}/results?run= reads only its rows */
                run_id: string;
                /** @description the tenant the job belongs to (`default`: the default tenant) */
                tenant: string;
                /** @enum {string} */
                status: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                /**
                 * @description the status again, under dungbeetle v2's name
                 * @enum {string}
                 */
                state: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                /** @description dungbeetle's row count: [{Type: 'int64', Value: count}] once finished */
                results: {
                    Type: string;
                    Value: number;
                }[];
                error: string;
                /** @description rows written */
                count: number | null;
                task: string;
                queue: string;
                db: string;
                results_db: string;
                results_table: string | null;
                attempt: number;
                retries: number;
                ttl: number;
                eta: string | null;
                /** @description 0..9 (default 0): on a queue with admission, higher runs first within its tenant */
                priority: number;
                group_id: string | null;
                /** @description the schedule that made this job (POST /schedules); null for a job submitted by hand */
                schedule_id: string | null;
                /** @description the schedule's tick this job runs for; null for a job submitted by hand */
                scheduled_for: string | null;
                /** @description ISO 8601, UTC */
                created_at: string;
                started_at: string | null;
                finished_at: string | null;
                expires_at: string | null;
                /** @description the job whose result this one reused (max_age), without a query; null when it ran its own */
                reused_from: string | null;
                /** @description values the results database could not hold, stored as NULL (NaN or ±Infinity in a MySQL DOUBLE): one line per column and reason; at most 20 lines of at most 500 characters; empty when none */
                warnings: string[];
                /** @description the job's export to S3, when it asked for one */
                export: {
                    /**
                     * @description SUCCESS once every part and the manifest are written (with the job); FAILURE when the job ended otherwise
                     * @enum {string}
                     */
                    state: "PENDING" | "SUCCESS" | "FAILURE";
                    /** @enum {string} */
                    format: "csv" | "jsonl" | "parquet";
                    /** @enum {string} */
                    compression: "gzip" | "none";
                    part_rows: number;
                    /** @description the S3 key of manifest.json; GET /jobs/{jobID}/export answers URLs */
                    manifest: string | null;
                    parts: number | null;
                    rows: number | null;
                    bytes: number | null;
                } | null;
                /** @description the result passed max_rows or max_result_bytes and the table holds the rows before the limit (on_limit: truncate; a warning says which) */
                truncated: boolean;
                /** @description rows written to the results table so far: while STARTED, as of the last lease renewal (every 2 s), only growing; at SUCCESS, equal to count; null while waiting */
                rows_written: number | null;
                /** @description bytes handed to the results database so far (as rows_written); null while waiting */
                bytes_written: number | null;
                /** @description the source database planner's estimate of the rows (PostgreSQL EXPLAIN, MySQL/MariaDB EXPLAIN rows); null when it gave none */
                est_rows: number | null;
                /** @description 0 while waiting; while STARTED, rows_written / est_rows held at most 0.99 (null without an estimate); 1 only at SUCCESS; null after FAILURE or CANCELLED */
                progress: number | null;
                /** @description a waiting job's place in line on its queue, an estimate (1: next to start): 1 + the waiting jobs of its queue created before it, due no later, not held in a group; counted up to 1,000 ahead (1001: further back); null when not waiting, or a group member held for a slot */
                queue_position: number | null;
            };
        };
        CancelJobAnswer: {
            /** @constant */
            status: "success";
            data: {
                job_id: string;
                /** @enum {string} */
                status: "CANCELLED" | "PURGED";
                /** @enum {string} */
                previous_status: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
            };
        };
        GetResultsAnswer: {
            /** @constant */
            status: "success";
            data: {
                columns: {
                    name: string;
                    type: string;
                }[];
                /** @description BIGINT, DECIMAL, DATE, TIMESTAMP and TEXT as strings (full precision), BOOLEAN as true/false, DOUBLE as a number, NULL as null */
                rows: (string | number | boolean | null)[][];
                next_cursor: string | null;
                /** @description rows of the whole result; with filters or aggregates, the rows that match (the groups) when asked with `Prefer: count=exact`, else null */
                count: number | null;
            };
        };
        GetExportAnswer: {
            /** @constant */
            status: "success";
            data: {
                job_id: string;
                run_id: string;
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression: "gzip" | "none";
                rows: number | null;
                bytes: number | null;
                /** @description when the URLs stop working ([export] url_ttl from now); ask again for fresh ones */
                urls_expire_at: string;
                /** @description manifest.json: each part's key, rows, bytes and sha256, and the columns with their types */
                manifest: {
                    key: string;
                    /** @description a presigned GET URL: no credentials needed until urls_expire_at */
                    url: string;
                };
                /** @description the parts in order; a CSV header is in the first only, so the parts concatenated are the whole document */
                parts: {
                    key: string;
                    /** @description a presigned GET URL: no credentials needed until urls_expire_at */
                    url: string;
                }[];
            };
        };
        GetQueueJobsAnswer: {
            /** @constant */
            status: "success";
            data: {
                job_id: string;
                tenant: string;
                task_name: string;
                task: string;
                queue: string;
                /** @enum {string} */
                status: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                /** @enum {string} */
                state: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                eta: string | null;
                retries: number;
                attempt: number;
                /** @description ISO 8601, UTC */
                created_at: string;
            }[];
        };
        GetQueuesAnswer: {
            /** @constant */
            status: "success";
            data: {
                name: string;
                concurrency: number;
                /** @description worker timeout, seconds */
                timeout: number;
                /** @description messages waiting (visible or delayed), as SQS counts them */
                waiting: number;
                /** @description messages received by a worker and not yet deleted */
                running: number;
                /** @description messages in the queue's dead-letter queue */
                dead_letters: number;
            }[];
        };
        GetQueueStatsAnswer: {
            /** @constant */
            status: "success";
            data: {
                /** @enum {string} */
                window: "1h" | "1d";
                /** @description ISO 8601: the first bucket's start */
                from: string;
                /** @description ISO 8601: the window's end (now) */
                to: string;
                bucket_seconds: number;
                /** @description job records read (jobs created in the window) */
                jobs_read: number;
                /** @description true when the read cap stopped before the window's start: older buckets are undercounted */
                truncated: boolean;
                queues: {
                    queue: string;
                    /** @description the bucket's start, epoch seconds, one per bucket */
                    t: number[];
                    /** @description jobs that reached SUCCESS or FAILURE in the bucket, one per bucket */
                    finished: number[];
                    /** @description of those, FAILURE, one per bucket */
                    failed: number[];
                    /** @description failed / finished (null: none finished), one per bucket */
                    failure_rate: (number | null)[];
                    /** @description median run time of the jobs finished in the bucket, one per bucket */
                    run_p50_ms: (number | null)[];
                    /** @description 95th percentile run time, one per bucket */
                    run_p95_ms: (number | null)[];
                    /** @description median queue wait (due to started) of the jobs started in the bucket, one per bucket */
                    wait_p50_ms: (number | null)[];
                    /** @description 95th percentile queue wait, one per bucket */
                    wait_p95_ms: (number | null)[];
                    /** @description jobs waiting at the bucket's end, one per bucket */
                    waiting: number[];
                    /** @description jobs running at the bucket's end, one per bucket */
                    running: number[];
                }[];
            };
        };
        SubmitGroupAnswer: {
            /** @constant */
            status: "success";
            data: {
                group_id: string;
                concurrency: number;
                jobs: {
                    job_id: string;
                    task_name: string;
                    /** @description the task again, under dungbeetle v2's name */
                    task: string;
                    queue: string;
                    /** @description RFC 3339 (2030-01-01T09:00:00Z), which Go clients decode into time.Time */
                    eta: string | null;
                    retries: number;
                }[];
            };
        };
        SubmitGroupBody: {
            group_id?: string;
            concurrency?: number;
            priority?: number;
            jobs: unknown[];
        };
        GetGroupAnswer: {
            /** @constant */
            status: "success";
            data: {
                group_id: string;
                /** @description the tenant the group belongs to (`default`: the default tenant) */
                tenant: string;
                /** @enum {string} */
                status: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                /**
                 * @description the status again, under dungbeetle v2's name
                 * @enum {string}
                 */
                state: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                concurrency: number;
                total: number;
                /** @description members per status */
                counts: {
                    [key: string]: number;
                };
                /** @description ISO 8601, UTC */
                created_at: string;
                jobs: {
                    job_id: string;
                    task?: string;
                    /** @enum {string} */
                    status: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED" | "EXPIRED";
                    /** @enum {string} */
                    state: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED" | "EXPIRED";
                    count: number | null;
                    error: string;
                    attempt?: number;
                    /** @description values the results database could not hold, stored as NULL (NaN or ±Infinity in a MySQL DOUBLE): one line per column and reason; at most 20 lines of at most 500 characters; empty when none */
                    warnings: string[];
                }[];
            };
        };
        CancelGroupAnswer: {
            /** @constant */
            status: "success";
            data: {
                group_id: string;
                /** @enum {string} */
                status: "CANCELLED" | "PURGED";
                cancelled?: number;
                total?: number;
            };
        };
        SubmitScheduleAnswer: {
            /** @constant */
            status: "success";
            data: {
                schedule_id: string;
                /** @description the tenant the schedule belongs to (`default`: the default tenant) */
                tenant: string;
                task: string;
                /** @description each job's args, as given */
                args: unknown;
                /** @description each job's options, as given */
                job: {
                    [key: string]: unknown;
                };
                cron: string;
                timezone: string;
                /** @enum {string} */
                catchup: "none" | "latest" | "all";
                paused: boolean;
                /** @description ISO 8601, UTC */
                created_at: string;
                /** @description the next tick that will make a job; null while paused */
                next_run: string | null;
                /** @description the last tick that made a job */
                last_run: string | null;
                /** @description the job the last run made: `<schedule_id>:<yyyymmddhhmm>` (the tick, UTC) */
                last_job_id: string | null;
                /** @description why the last handled tick made no job (the task is gone, its args no longer fit); null after a tick that made one */
                last_error: string | null;
                /** @description ticks skipped so far by catchup after an outage */
                skipped: number;
            };
        };
        SubmitScheduleBody: {
            schedule_id?: string;
            task: string;
            /** @description the job's args, as POST /tasks/{taskName}/jobs takes them */
            args?: unknown;
            /** @description five fields (minute hour day-of-month month day-of-week), croner syntax */
            cron: string;
            /** @description IANA name (Europe/Berlin); default UTC */
            timezone?: string;
            /**
             * @description missed ticks after an outage: none (default) skips them, latest runs the last one, all runs each
             * @enum {string}
             */
            catchup?: "none" | "latest" | "all";
            /** @description job options as POST /tasks/{taskName}/jobs takes them (queue, ttl, retries, max_age, ...), without job_id and eta */
            job?: {
                [key: string]: unknown;
            };
        };
        ListSchedulesAnswer: {
            /** @constant */
            status: "success";
            data: {
                schedule_id: string;
                /** @description the tenant the schedule belongs to (`default`: the default tenant) */
                tenant: string;
                task: string;
                /** @description each job's args, as given */
                args: unknown;
                /** @description each job's options, as given */
                job: {
                    [key: string]: unknown;
                };
                cron: string;
                timezone: string;
                /** @enum {string} */
                catchup: "none" | "latest" | "all";
                paused: boolean;
                /** @description ISO 8601, UTC */
                created_at: string;
                /** @description the next tick that will make a job; null while paused */
                next_run: string | null;
                /** @description the last tick that made a job */
                last_run: string | null;
                /** @description the job the last run made: `<schedule_id>:<yyyymmddhhmm>` (the tick, UTC) */
                last_job_id: string | null;
                /** @description why the last handled tick made no job (the task is gone, its args no longer fit); null after a tick that made one */
                last_error: string | null;
                /** @description ticks skipped so far by catchup after an outage */
                skipped: number;
            }[];
        };
        GetScheduleAnswer: {
            /** @constant */
            status: "success";
            data: {
                schedule_id: string;
                /** @description the tenant the schedule belongs to (`default`: the default tenant) */
                tenant: string;
                task: string;
                /** @description each job's args, as given */
                args: unknown;
                /** @description each job's options, as given */
                job: {
                    [key: string]: unknown;
                };
                cron: string;
                timezone: string;
                /** @enum {string} */
                catchup: "none" | "latest" | "all";
                paused: boolean;
                /** @description ISO 8601, UTC */
                created_at: string;
                /** @description the next tick that will make a job; null while paused */
                next_run: string | null;
                /** @description the last tick that made a job */
                last_run: string | null;
                /** @description the job the last run made: `<schedule_id>:<yyyymmddhhmm>` (the tick, UTC) */
                last_job_id: string | null;
                /** @description why the last handled tick made no job (the task is gone, its args no longer fit); null after a tick that made one */
                last_error: string | null;
                /** @description ticks skipped so far by catchup after an outage */
                skipped: number;
            };
        };
        DeleteScheduleAnswer: {
            /** @constant */
            status: "success";
            data: {
                schedule_id: string;
                /** @constant */
                deleted: true;
            };
        };
        PauseScheduleAnswer: {
            /** @constant */
            status: "success";
            data: {
                schedule_id: string;
                /** @description the tenant the schedule belongs to (`default`: the default tenant) */
                tenant: string;
                task: string;
                /** @description each job's args, as given */
                args: unknown;
                /** @description each job's options, as given */
                job: {
                    [key: string]: unknown;
                };
                cron: string;
                timezone: string;
                /** @enum {string} */
                catchup: "none" | "latest" | "all";
                paused: boolean;
                /** @description ISO 8601, UTC */
                created_at: string;
                /** @description the next tick that will make a job; null while paused */
                next_run: string | null;
                /** @description the last tick that made a job */
                last_run: string | null;
                /** @description the job the last run made: `<schedule_id>:<yyyymmddhhmm>` (the tick, UTC) */
                last_job_id: string | null;
                /** @description why the last handled tick made no job (the task is gone, its args no longer fit); null after a tick that made one */
                last_error: string | null;
                /** @description ticks skipped so far by catchup after an outage */
                skipped: number;
            };
        };
        ResumeScheduleAnswer: {
            /** @constant */
            status: "success";
            data: {
                schedule_id: string;
                /** @description the tenant the schedule belongs to (`default`: the default tenant) */
                tenant: string;
                task: string;
                /** @description each job's args, as given */
                args: unknown;
                /** @description each job's options, as given */
                job: {
                    [key: string]: unknown;
                };
                cron: string;
                timezone: string;
                /** @enum {string} */
                catchup: "none" | "latest" | "all";
                paused: boolean;
                /** @description ISO 8601, UTC */
                created_at: string;
                /** @description the next tick that will make a job; null while paused */
                next_run: string | null;
                /** @description the last tick that made a job */
                last_run: string | null;
                /** @description the job the last run made: `<schedule_id>:<yyyymmddhhmm>` (the tick, UTC) */
                last_job_id: string | null;
                /** @description why the last handled tick made no job (the task is gone, its args no longer fit); null after a tick that made one */
                last_error: string | null;
                /** @description ticks skipped so far by catchup after an outage */
                skipped: number;
            };
        };
        GetOpenApiAnswer: {
            [key: string]: unknown;
        };
        SubmitJobBody_get_orders_by_customer: {
            job_id?: string;
            task?: string;
            queue?: string;
            eta?: string | null;
            retries?: number;
            ttl?: number;
            args: {
                customer_id: number | string;
                sort?: ("ordered_at" | "order_id" | "total") | null;
            } | [
                number | string,
                ("ordered_at" | "order_id" | "total") | null
            ];
            db?: string;
            max_age?: number;
            priority?: number;
            export?: {
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression?: "gzip" | "none";
                part_rows?: number;
            };
            results?: boolean;
        };
        SubmitJobBody_get_sales_by_day: {
            job_id?: string;
            task?: string;
            queue?: string;
            eta?: string | null;
            retries?: number;
            ttl?: number;
            args: {
                from_date: string;
                to_date: string;
            } | [
                string,
                string
            ];
            db?: string;
            max_age?: number;
            priority?: number;
            export?: {
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression?: "gzip" | "none";
                part_rows?: number;
            };
            results?: boolean;
        };
        SubmitJobBody_get_customers_by_country: {
            job_id?: string;
            task?: string;
            queue?: string;
            eta?: string | null;
            retries?: number;
            ttl?: number;
            args: {
                /** @enum {string} */
                country: "US" | "GB" | "DE" | "FR" | "IN" | "BR" | "JP" | "NG";
            } | [
                "US" | "GB" | "DE" | "FR" | "IN" | "BR" | "JP" | "NG"
            ];
            db?: string;
            max_age?: number;
            priority?: number;
            export?: {
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression?: "gzip" | "none";
                part_rows?: number;
            };
            results?: boolean;
        };
        SubmitJobBody_slow_query: {
            job_id?: string;
            task?: string;
            queue?: string;
            eta?: string | null;
            retries?: number;
            ttl?: number;
            args: {
                seconds: number | string;
            } | [
                number | string
            ];
            db?: string;
            max_age?: number;
            priority?: number;
            export?: {
                /** @enum {string} */
                format: "csv" | "jsonl" | "parquet";
                /** @enum {string} */
                compression?: "gzip" | "none";
                part_rows?: number;
            };
            results?: boolean;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getTasks: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The registered tasks (their SQL for operators only) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetTasksAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                taskName: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SubmitJobBody"];
            };
        };
        responses: {
            /** @description Schedule a job of a task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again (code: tenant_queue_full) */
            429: {
                headers: {
                    /** @description seconds to wait before submitting again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    dryRun: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                taskName: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["DryRunBody"];
            };
        };
        responses: {
            /** @description A job request's result columns and the planner's estimate, without running it (no job, no message) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DryRunAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a filtered, sorted or aggregated read took longer than the API waits, or a dry run the source database could not describe or plan (code: results_query_timeout, dry_run_failed) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                /** @description only jobs of this queue */
                queue?: string;
                /** @description only jobs in this state */
                state?: "PENDING" | "STARTED" | "RETRY" | "SUCCESS" | "FAILURE" | "CANCELLED";
                /** @description only jobs of this task */
                task?: string;
                /** @description jobs per page, 1..100 (default 20) */
                limit?: string;
                /** @description operators only: only this tenant's jobs (`default`: the default tenant's) */
                tenant?: string;
                /** @description the next_cursor of the previous page, unchanged */
                cursor?: string;
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Recent jobs, newest first, keyset-paged */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListJobsAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: {
                /** @description long-poll: answer as soon as it is final, or after this many seconds (1..20) */
                wait?: string;
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_", "-" and ":"; at most 63 characters; not "queue", which GET /jobs/queue/{queue} holds */
                jobID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A job's status */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelJob: {
        parameters: {
            query?: {
                /** @description true: delete a finished job (or group) and its results instead of cancelling */
                purge?: "true" | "false";
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_", "-" and ":"; at most 63 characters; not "queue", which GET /jobs/queue/{queue} holds */
                jobID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancel a job, or purge a finished one and its results */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getResults: {
        parameters: {
            query?: {
                /** @description rows per page, 1..10000 (default 1000) */
                limit?: string;
                /** @description the next_cursor of the previous page, unchanged */
                cursor?: string;
                /** @description csv: RFC 4180 with a header record (also with Accept: text/csv) */
                format?: "json" | "csv";
                /** @description columns and aggregates to answer, comma-separated: `order_id,total`, `alias:total`, `status,total.sum(),total.avg(),count()` (aggregates group by the plain columns); sum avg min max count. Default: every column */
                select?: string;
                /** @description `col[.asc|.desc][.nullsfirst|.nullslast]`, comma-separated; ties in `_row` order. NULL sorts as the smallest value unless told. Not on JSON, bytes or array columns */
                order?: string;
                /** @description the run_id of the job's status: another run answers 409 run_changed */
                run?: string;
                /** @description any other parameter filters a column: `col=[not.]op.value` with op eq neq gt gte lt lte like ilike (`*` is `%`) in (`in.(a,b,"c,d")`) is (`is.null`, `is.true`); several are ANDed, at most 20. A JSON column by a path: `doc->>kind=eq.x`. A column named like a reserved word, or with `. , : ( ) "` or `->`, in double quotes: `"order"=eq.1` */
                filters?: {
                    [key: string]: string;
                };
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_", "-" and ":"; at most 63 characters; not "queue", which GET /jobs/queue/{queue} holds */
                jobID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of a SUCCESS job's result rows (JSON or CSV) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetResultsAnswer"];
                    "text/csv": string;
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the results table (or the export) is gone (code: results_gone) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a single row is too large for any answer (code: payload_too_large, row_too_large) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a filtered, sorted or aggregated read took longer than the API waits, or a dry run the source database could not describe or plan (code: results_query_timeout, dry_run_failed) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getExport: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_", "-" and ":"; at most 63 characters; not "queue", which GET /jobs/queue/{queue} holds */
                jobID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Presigned URLs of a SUCCESS job's export to S3: its manifest and parts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetExportAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the results table (or the export) is gone (code: results_gone) */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getQueueJobs: {
        parameters: {
            query?: {
                /** @description operators only: only this tenant's waiting jobs */
                tenant?: string;
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                queue: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Waiting jobs of a queue, oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetQueueJobsAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getQueues: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each queue: concurrency, timeout, live counts (operators only) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetQueuesAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getQueueStats: {
        parameters: {
            query?: {
                /** @description the last hour (`1h`, one-minute buckets; the default) or the last day (`1d`, 15-minute buckets) */
                window?: "1h" | "1d";
                /** @description only this queue (default: every configured queue) */
                queue?: string;
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each queue's throughput, run time and queue wait (p50, p95), waiting and running counts and failure rate over the last hour or day, from the job records (operators only) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetQueueStatsAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitGroup: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SubmitGroupBody"];
            };
        };
        responses: {
            /** @description Schedule a group of jobs, at most `concurrency` running at once */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitGroupAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again (code: tenant_queue_full) */
            429: {
                headers: {
                    /** @description seconds to wait before submitting again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getGroup: {
        parameters: {
            query?: {
                /** @description long-poll: answer as soon as it is final, or after this many seconds (1..20) */
                wait?: string;
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                groupID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A group's status and its members */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetGroupAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    cancelGroup: {
        parameters: {
            query?: {
                /** @description true: delete a finished job (or group) and its results instead of cancelling */
                purge?: "true" | "false";
            };
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                groupID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cancel a group, or purge a finished one and its results */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelGroupAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSchedules: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The tenant's schedules (an operator's: every tenant's), by next run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListSchedulesAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SubmitScheduleBody"];
            };
        };
        responses: {
            /** @description Record a schedule: a job of a task at each tick of a cron pattern, in a timezone */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitScheduleAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_" and "-"; at most 50 characters */
                scheduleID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A schedule, its next run and its last run */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetScheduleAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_" and "-"; at most 50 characters */
                scheduleID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Delete a schedule (the jobs it made stay) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeleteScheduleAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pauseSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_" and "-"; at most 50 characters */
                scheduleID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Pause a schedule: no tick makes a job until it is resumed */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PauseScheduleAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resumeSchedule: {
        parameters: {
            query?: never;
            header?: {
                /** @description the tenant a trusted backend (auth iam or none), or an operator, acts for; absent: the default tenant (or, with a JWT, its tenant claim) */
                "X-Tenant-Id"?: string;
            };
            path: {
                /** @description letters, digits, "_" and "-"; at most 50 characters */
                scheduleID: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Resume a schedule from its next tick (the paused ones are not caught up) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ResumeScheduleAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOpenApi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description This document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetOpenApiAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getConsole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page or file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getConsoleFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                proxy: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the page or file */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    submitJob_get_orders_by_customer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitJobBody_get_orders_by_customer"];
            };
        };
        responses: {
            /** @description Schedule a job of a task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again (code: tenant_queue_full) */
            429: {
                headers: {
                    /** @description seconds to wait before submitting again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitJob_get_sales_by_day: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitJobBody_get_sales_by_day"];
            };
        };
        responses: {
            /** @description Schedule a job of a task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again (code: tenant_queue_full) */
            429: {
                headers: {
                    /** @description seconds to wait before submitting again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitJob_get_customers_by_country: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitJobBody_get_customers_by_country"];
            };
        };
        responses: {
            /** @description Schedule a job of a task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again (code: tenant_queue_full) */
            429: {
                headers: {
                    /** @description seconds to wait before submitting again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    submitJob_slow_query: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SubmitJobBody_slow_query"];
            };
        };
        responses: {
            /** @description Schedule a job of a task */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubmitJobAnswer"];
                };
            };
            /** @description bad input: the message names the field (code: invalid_request, results_table_name) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description no valid token (code: unauthorized) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller may not do this, or a browser request from a web origin the API does not allow (code: origin_not_allowed, forbidden) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group, schedule or queue (code: task_not_found, job_not_found, group_not_found, export_not_found, schedule_not_found, queue_not_found, route_not_found) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the current state of the job, group or schedule (code: job_active, job_finished, job_not_succeeded, cursor_stale, cursor_query_mismatch, run_changed, group_active, group_finished, schedule_exists) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the tenant already has the queue's tenant_max_queued jobs waiting; nothing was recorded; the Retry-After header says when to submit again (code: tenant_queue_full) */
            429: {
                headers: {
                    /** @description seconds to wait before submitting again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs (code: internal) */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
