/**
 * Glossary
 * - job: one run of a task with arguments, identified by `job_id`.
 * - run_id: identifies one submission of a job ID; a reused job ID gets a new one,
 *   so messages of an earlier submission can never touch the new one.
 * - attempt: how many times the job has been claimed by a worker.
 * - message: what SQS carries to a worker; it can claim exactly one attempt of one run.
 */
import type { JobExport } from '../export/exportOptions.js';

export const JOB_STATES = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States in which a job ID is taken: a new job with that ID is refused. */
export const ACTIVE_STATES: readonly JobState[] = ['PENDING', 'STARTED', 'RETRY'];
export const FINAL_STATES: readonly JobState[] = ['SUCCESS', 'FAILURE', 'CANCELLED'];
/** States in which a job waits for a message to start its next attempt. */
export const WAITING_STATES: readonly JobState[] = ['PENDING', 'RETRY'];

/** A job as stored in DynamoDB. */
export interface JobItem {
  pk: string;
  job_id: string;
  run_id: string;
  task: string;
  queue: string;
  /** Source db name chosen for this job. */
  db: string;
  /** Results db name chosen for this job. */
  results_db: string;
  /** Positional arguments; for a task with parameters, canonical values in declaration order, null for NULL (lib/tasks/params). */
  args: (string | null)[];
  status: JobState;
  retries: number;
  attempt: number;
  ttl: number;
  eta: string | null;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  count?: number;
  error?: string;
  results_table?: string;
  /** Set at SUCCESS when the results database could not hold some values (stored as NULL): capped, lib/jobs/capWarnings.ts. */
  warnings?: string[];
  /** The recent index's partition key (a shard picked by the job ID), set at submission. */
  recent_shard?: string;
  /** The recent index's sort key (`created_at#job_id`), set at submission. */
  recent_at?: string;
  /** Set while the job waits (PENDING/RETRY): the sparse index key, its queue's shard (lib/jobs/shardKey.ts). */
  pending_shard?: string;
  /**
   * While waiting: epoch ms when its message is due to be seen (now, its ETA, the end
   * of its backoff, or the last resend). Past due by `resend_after`, and unclaimed,
   * the sweeper sends the message again.
   */
  due_at?: number;
  /** Epoch seconds after which the record is gone (DynamoDB TTL attribute). */
  expires_at?: number;
  group_id?: string;
  /** The submission of the group this member belongs to: a later group under the same ID has another. */
  group_run?: string;
  /** The longest TTL of the member's group, to push the group's expiry when the member ends. */
  group_ttl?: number;
  /** Position in its group, in submission order. */
  group_index?: number;
  /** A group member whose message has been sent (members wait, held, until a slot frees). */
  dispatched?: boolean;
  /** Purged (DELETE ?purge=true): a tombstone that reads as gone until DynamoDB deletes it. */
  purged?: boolean;
  /** A group member whose slot has been handed on after it ended (set once). */
  released?: boolean;
  /** While STARTED: epoch ms until which the worker holds the job. */
  lease_until?: number;
  /** While STARTED: the sparse lease index key, its queue's shard. */
  lease_shard?: string;
  /** While STARTED: where the query runs, so a cancel can kill it. */
  running_db?: string;
  connection_id?: number;
  /**
   * While STARTED: the run's marker on its connection (RunningQuery.tag), so a
   * cancel kills the query only while that connection still runs this attempt.
   */
  running_tag?: string;
  /** Progress of the running attempt, carried by its lease renewals (no write of its own): rows handed to the results writer. At SUCCESS, the count. */
  rows_written?: number;
  /** Progress: bytes handed to the results writer (lib/db/port/types.ts WrittenSoFar). */
  bytes_written?: number;
  /** Progress: the planner's estimate of the query's rows (EXPLAIN), when the engine gave one. */
  est_rows?: number;
  /** Result reuse (lib/reuse): the request's `max_age`, seconds. */
  max_age?: number;
  /** Result reuse: the `db` the request named (a twin must have run there); absent: any of the task's dbs. */
  reuse_db?: string;
  /** The tenant of a job that is not the default tenant's (lib/identity); its `job_id` is scoped (`<tag>~<id>`). */
  tenant?: string;
  /** The caller's verified token claims as JSON, when it had any: set in the task's transaction (lib/identity, PostgreSQL `request.jwt.claims`). */
  claims?: string;
  /** The task's `reuse_across_tenants` tag: its result may be reused by, and coalesced with, other tenants' jobs. */
  reuse_shared?: boolean;
  /** 0..9 (absent: 0): on a queue with admission, higher first within its tenant (lib/jobs/admission.ts). */
  priority?: number;
  /** The job's queue has admission: it runs only once admitted (it holds a slot of its queue and tenant). */
  admission?: boolean;
  /** Admission: counted among its tenant's waiting jobs (set once). */
  adm_queued?: boolean;
  /** Admission: while in its tenant's waiting list, the list's key and its place in it (index `admission`). */
  adm_key?: string;
  adm_order?: string;
  /** Admission: it holds a slot, of slot shard `adm_slot`, until its end gives it back. */
  admitted?: boolean;
  adm_slot?: number;
  /** Admission: its end gave back what it held (its slot, or its place among the waiting); set once. */
  adm_released?: boolean;
  /** The job's export (lib/export): its options from submission; where the manifest is, once the job succeeded. */
  export?: JobExport;
  /** `"results": false`: the job writes no results table, only its export. */
  no_results?: boolean;
  /** The schedule that made this job (lib/schedules), as stored (scoped to its tenant). Such a job is never cancelled as an orphan. */
  schedule_id?: string;
  /** The tick of its schedule this job runs for (ISO 8601, UTC). */
  scheduled_for?: string;
  /** Orphan cancel: seconds without anyone asking about the job (status read, long-poll, results read) after which it is cancelled; absent: exempt. */
  orphan_after?: number;
  /** Orphan cancel: epoch ms of the last time someone asked about the job (at most one write per few seconds), its submission at first. */
  asked_at?: number;
  /**
   * The W3C traceparent of its submit's span (lib/observability/tracing.ts), kept
   * only while tracing is on: a message sent later (its admission, a release, a
   * resend) carries it, so the job's trace goes on.
   */
  traceparent?: string;
  /** Orphan cancel, while active: the orphans index key (its queue, sharded by its ID) and the epoch second it becomes an orphan unless asked about. */
  orphan_shard?: string;
  orphan_at?: number;
  /** Result reuse: while a coalesced waiter is parked, the leader run it waits on (`<job_id>#<run_id>`, the waiters index key). */
  waits_for?: string;
  /** Result reuse: the job whose results table this job's table was copied from (no query ran). */
  reused_from?: string;
  /** At SUCCESS: the table holds only the rows before a result limit (`max_rows` / `max_result_bytes` with `on_limit: truncate`). */
  truncated?: boolean;
}

/** What a running attempt reports of its progress with each lease renewal. */
export interface JobProgress {
  /** Rows handed to the results writer so far (only grows within an attempt). */
  rows: number;
  /** Bytes handed to the results writer so far (only grows within an attempt). */
  bytes: number;
  /** The planner's estimate of the query's rows, once known. */
  estRows?: number;
}

/** The SQS message body that lets a worker claim one attempt of one run. */
export interface JobMessage {
  job_id: string;
  run_id: string;
  queue: string;
  /** The attempt number this message may start (the item's `attempt` must equal it). */
  attempt: number;
  /** Epoch ms before which the job must not start (ETA beyond SQS's 900 s delay). */
  not_before?: number;
  /** Result reuse: the job's `max_age`, so the worker looks for a twin before it claims (lib/reuse). */
  max_age?: number;
}
