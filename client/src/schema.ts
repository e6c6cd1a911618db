// Generated from the OpenAPI document by scripts/generateClient.ts (npm run generate:client). Do not edit.

export interface paths {
    "/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The registered tasks, with their SQL */
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
        /** Each queue: concurrency, timeout, live counts */
        get: operations["getQueues"];
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
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Error: {
            /** @constant */
            status: "error";
            /** @description what was wrong, and what to do */
            message: string;
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
                /** @description statement timeout in seconds, when the task sets one */
                timeout?: number;
                /** @description the query as written in the task file */
                sql: string;
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
        };
        ListJobsAnswer: {
            /** @constant */
            status: "success";
            data: {
                jobs: {
                    job_id: string;
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
                group_id: string | null;
                /** @description ISO 8601, UTC */
                created_at: string;
                started_at: string | null;
                finished_at: string | null;
                expires_at: string | null;
                /** @description the job whose result this one reused (max_age), without a query; null when it ran its own */
                reused_from: string | null;
                /** @description values the results database could not hold, stored as NULL (NaN or ±Infinity in a MySQL DOUBLE): one line per column and reason; at most 20 lines of at most 500 characters; empty when none */
                warnings: string[];
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
                /** @description rows of the whole result */
                count: number;
            };
        };
        GetQueueJobsAnswer: {
            /** @constant */
            status: "success";
            data: {
                job_id: string;
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
            jobs: unknown[];
        };
        GetGroupAnswer: {
            /** @constant */
            status: "success";
            data: {
                group_id: string;
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
        GetOpenApiAnswer: {
            [key: string]: unknown;
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
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The registered tasks, with their SQL */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetTasksAnswer"];
                };
            };
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the job's or group's current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
                /** @description the next_cursor of the previous page, unchanged */
                cursor?: string;
            };
            header?: never;
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
            path: {
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
            path: {
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the job's or group's current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            };
            header?: never;
            path: {
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the job's or group's current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the results table is gone */
            410: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a single row is too large for any answer */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            query?: never;
            header?: never;
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Each queue: concurrency, timeout, live counts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetQueuesAnswer"];
                };
            };
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the job's or group's current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            header?: never;
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description unknown task, job, group or queue */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the request does not fit the job's or group's current state */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
            /** @description bad input: the message names the field */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description our own fault; see the function logs */
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
}
