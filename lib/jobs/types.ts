/**
 * Glossary
 * - job: one run of a task with arguments, identified by `job_id`.
 * - run_id: identifies one submission of a job ID; a reused job ID gets a new one,
 *   so messages of an earlier submission can never touch the new one.
 * - attempt: how many times the job has been claimed by a worker.
 * - message: what SQS carries to a worker; it can claim exactly one attempt of one run.
 */

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
  args: string[];
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
  /** Result reuse (lib/reuse): the request's `max_age`, seconds. */
  max_age?: number;
  /** Result reuse: the `db` the request named (a twin must have run there); absent: any of the task's dbs. */
  reuse_db?: string;
  /** Result reuse: the job whose results table this job's table was copied from (no query ran). */
  reused_from?: string;
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
