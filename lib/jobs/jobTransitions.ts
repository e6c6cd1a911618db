import { capError } from './capWarnings.js';
import { ACTIVE_STATES, FINAL_STATES, WAITING_STATES, type JobState } from './types.js';

/**
 * One state change of a job, as data: the states it may start from, the further
 * conditions it needs (its guard), what it sets and what it removes. The store
 * (lib/jobs/jobStore.ts) turns an entry into one conditional write, so every
 * change is guarded the same way and none can be a blind overwrite.
 *
 * Expressions use DynamoDB's syntax. Reserved words go by their aliases: `#s`
 * status, `#e` error, `#c` count, `#ttl` ttl. Placeholders (`:run`) are given by
 * the caller; `:now` (ISO time), `:nows` (epoch s) and `:nowms` (epoch ms) are
 * filled in by the store. A `set` whose value is a placeholder the caller left
 * undefined is skipped (optional fields, e.g. where a query runs).
 */
export interface JobTransition {
  readonly from: readonly JobState[];
  /** The state it moves to; absent: the state stays. */
  readonly to?: JobState;
  readonly guard: readonly string[];
  readonly set: Readonly<Record<string, string>>;
  readonly remove: readonly string[];
  /**
   * Ends the job. The write adds one of SLOT_WRITES: a group member that holds a
   * slot releases it in the same transaction as its group's header gets it back
   * (lib/lifecycle/endJob.ts), so "released exactly once" follows from the write.
   */
  readonly ends?: boolean;
}

/** What a running attempt holds and loses when it stops running. */
const RUNNING_FIELDS = ['lease_until', 'lease_shard', 'running_db', 'connection_id', 'running_tag'] as const;
/** What a waiting job holds and loses when it stops waiting. */
const WAITING_FIELDS = ['pending_shard', 'due_at', 'adm_key', 'adm_order'] as const;
/** What an active job with `orphan_after` is listed by in the orphans index; an ending takes it out. */
const ORPHAN_FIELDS = ['orphan_shard', 'orphan_at'] as const;
/** A running attempt's progress (carried by its lease renewals); a new attempt starts from nothing. */
const PROGRESS_FIELDS = ['rows_written', 'bytes_written', 'est_rows'] as const;

const THIS_RUN = 'run_id = :run';
const THIS_ATTEMPT = 'attempt = :a';
const NOT_EXPIRED = '(attribute_not_exists(expires_at) OR expires_at > :nows)';
/** A group member runs only once dispatched: a held member never claims a slot it was not given. */
const MAY_RUN = '(attribute_not_exists(group_id) OR dispatched = :yes)';
/** A job of a queue with admission runs only once admitted: it holds a slot of its queue and its tenant (lib/jobs/admission.ts). */
const ADMITTED = '(attribute_not_exists(admission) OR admitted = :yes)';
/** Still waiting for admission: counted or not, never admitted, never released. */
const NOT_ADMITTED = ['admission = :yes', 'attribute_not_exists(admitted)', 'attribute_not_exists(adm_released)'];

const ending = (status: 'SUCCESS' | 'FAILURE'): Pick<JobTransition, 'from' | 'to' | 'ends'> => ({ from: ['STARTED'], to: status, ends: true });

/** Every job state change. Keys are the store's words for them. */
export const JOB_TRANSITIONS = {
  /** A held group member gets its slot (its message is about to be sent). */
  dispatch: {
    from: ['PENDING'],
    guard: [THIS_RUN, 'attempt = :zero', 'attribute_not_exists(dispatched)', 'group_id = :g', 'group_run = :grun'],
    set: { dispatched: ':yes', due_at: ':due' },
    remove: [],
  },
  /**
   * A job of a queue with admission joins its tenant's waiting list (at submit it is
   * written there at once; a job with an ETA or a group member joins when its message
   * comes). Counted among its tenant's waiting jobs then, unless counted at submit.
   */
  join: {
    from: WAITING_STATES,
    guard: [THIS_RUN, ...NOT_ADMITTED, MAY_RUN, 'attribute_not_exists(adm_key)'],
    set: { adm_key: ':akey', adm_order: ':aorder', adm_queued: ':yes' },
    remove: [],
  },
  /** A waiting job takes a slot of its queue (shard `:slot`) and of its tenant, in one transaction with their counters; its message is about to be sent. */
  admit: {
    from: WAITING_STATES,
    guard: [THIS_RUN, ...NOT_ADMITTED, 'adm_queued = :yes', 'adm_key = :akey', 'adm_order = :aorder'],
    set: { admitted: ':yes', adm_slot: ':slot', due_at: ':due' },
    remove: ['adm_key', 'adm_order'],
  },
  /** A message starts one attempt of one run; a duplicate or stale one matches nothing. */
  claim: {
    from: WAITING_STATES,
    to: 'STARTED',
    // Its own queue: the lease shard is named from the message's queue, and the sweeper looks at configured queues only.
    guard: [THIS_RUN, THIS_ATTEMPT, MAY_RUN, ADMITTED, 'queue = :queue'],
    set: { started_at: ':now', attempt: 'attempt + :one', lease_until: ':lease', lease_shard: ':lease_shard' },
    remove: [...WAITING_FIELDS, 'finished_at', '#e', 'running_db', 'connection_id', 'running_tag', ...PROGRESS_FIELDS, 'waits_for'],
  },
  /** The running attempt holds on, says where its query runs and how far it got (no write of its own for progress). */
  renew: {
    from: ['STARTED'],
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { lease_until: ':lease', running_db: ':db', connection_id: ':cid', running_tag: ':tag', rows_written: ':rows', bytes_written: ':bytes', est_rows: ':est' },
    remove: [],
  },
  /** A failed attempt with retries left waits for the next one. */
  retry: {
    from: ['STARTED'],
    to: 'RETRY',
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { '#e': ':error', pending_shard: ':pending_shard', due_at: ':due' },
    remove: RUNNING_FIELDS,
  },
  succeed: {
    ...ending('SUCCESS'),
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { '#c': ':count', results_table: ':table', finished_at: ':now', expires_at: ':exp', reused_from: ':from', warnings: ':warnings', rows_written: ':count', bytes_written: ':bytes', '#x': ':export', truncated: ':truncated' },
    remove: [...RUNNING_FIELDS, ...ORPHAN_FIELDS, '#e'],
  },
  fail: {
    ...ending('FAILURE'),
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { '#e': ':error', finished_at: ':now', expires_at: ':exp' },
    remove: [...RUNNING_FIELDS, ...ORPHAN_FIELDS],
  },
  /** The worker stopped renewing (timeout, crash): the sweeper takes the job back... */
  expireToRetry: {
    from: ['STARTED'],
    to: 'RETRY',
    guard: [THIS_RUN, THIS_ATTEMPT, 'lease_until < :nowms'],
    set: { '#e': ':error', pending_shard: ':pending_shard', due_at: ':due' },
    remove: RUNNING_FIELDS,
  },
  /** ...or fails it when no retry is left. */
  expireToFailure: {
    ...ending('FAILURE'),
    guard: [THIS_RUN, THIS_ATTEMPT, 'lease_until < :nowms'],
    set: { '#e': ':error', finished_at: ':now', expires_at: ':exp' },
    remove: [...RUNNING_FIELDS, ...ORPHAN_FIELDS],
  },
  /**
   * DELETE /jobs/{id}: a waiting job never runs; a running one is stopped. Only the
   * run, attempt and status the cancel read: a job claimed (or replaced) meanwhile is
   * read again, so that what the cancel answers and whether it kills a query are true.
   */
  cancel: {
    from: ACTIVE_STATES,
    to: 'CANCELLED',
    ends: true,
    guard: [NOT_EXPIRED, THIS_RUN, THIS_ATTEMPT, '#s = :was'],
    set: { finished_at: ':now', '#e': ':why', expires_at: ':nows + #ttl' },
    remove: [...WAITING_FIELDS, ...RUNNING_FIELDS, ...ORPHAN_FIELDS, 'waits_for'],
  },
  /**
   * Orphan cancel (lib/jobs/orphanAfter.ts): nobody asked about this run since
   * `:cut`; a read that asks meanwhile (moving `asked_at`) wins over it.
   */
  orphan: {
    from: ACTIVE_STATES,
    to: 'CANCELLED',
    ends: true,
    guard: [THIS_RUN, NOT_EXPIRED, 'asked_at < :cut'],
    set: { finished_at: ':now', '#e': ':why', expires_at: ':nows + #ttl' },
    remove: [...WAITING_FIELDS, ...RUNNING_FIELDS, ...ORPHAN_FIELDS, 'waits_for'],
  },
  /** The message that could start this attempt is in the dead-letter queue. */
  deadLetter: {
    from: WAITING_STATES,
    to: 'FAILURE',
    ends: true,
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { '#e': ':error', finished_at: ':now', expires_at: ':nows + #ttl' },
    remove: [...WAITING_FIELDS, ...ORPHAN_FIELDS, 'waits_for'],
  },
  /**
   * A coalesced waiter (lib/reuse) parks on its leader's run: no message of its
   * own until the leader's end releases it, or, should that release be lost,
   * until the sweeper resends it once `due_at` (a backstop) is overdue.
   */
  park: {
    from: WAITING_STATES,
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { waits_for: ':leader', due_at: ':due' },
    remove: [],
  },
  /**
   * An admitted coalesced waiter parks (as `park`) and gives its slot back while it
   * waits (in one transaction with its tenant's and its slot shard's counters,
   * lib/jobs/admission.ts `parkGivesBack`): counted among its tenant's waiting jobs
   * again, it joins its waiting list once released, and is admitted anew to run.
   */
  parkAdmitted: {
    from: WAITING_STATES,
    guard: [THIS_RUN, THIS_ATTEMPT, 'admitted = :yes', 'adm_queued = :yes', 'attribute_not_exists(adm_released)', 'adm_slot = :slot'],
    set: { waits_for: ':leader', due_at: ':due' },
    remove: ['admitted', 'adm_slot'],
  },
  /** The leader ended: its parked waiter is due now (its message is about to be sent). */
  unpark: {
    from: WAITING_STATES,
    guard: [THIS_RUN, 'waits_for = :leader'],
    set: { due_at: ':nowms' },
    remove: ['waits_for'],
  },
  /** A waiting job whose message is overdue gets another one (at most once per `resend_after`). */
  resend: {
    from: WAITING_STATES,
    guard: [THIS_RUN, THIS_ATTEMPT, 'due_at = :due', MAY_RUN, ADMITTED],
    set: { due_at: ':nowms' },
    remove: [],
  },
  /** DELETE ?purge=true: a tombstone, so a message still in flight claims nothing. */
  purge: {
    from: FINAL_STATES,
    guard: ['attribute_not_exists(purged)', NOT_EXPIRED],
    set: { purged: ':yes', expires_at: ':exp' },
    remove: ['args', '#e', 'results_table', 'claims'],
  },
} as const satisfies Record<string, JobTransition>;

export type JobTransitionName = keyof typeof JOB_TRANSITIONS;

/** The part of a write that a group slot adds: more guard, more sets. */
export interface SlotWrite {
  readonly guard: readonly string[];
  readonly set: Readonly<Record<string, string>>;
}

/**
 * What an ending write (`ends`) says about a group slot, as data; placeholders
 * `:yes` (true) and `:grun` (the member's group run) are filled in by the store.
 * lib/lifecycle/endJob.ts picks one for each end.
 */
export const SLOT_WRITES = {
  /** The job holds no slot (no group, never dispatched, or released already): a slot holder is never ended without its release. */
  none: { guard: ['(attribute_not_exists(dispatched) OR released = :yes)'], set: {} },
  /** The member gives its slot back, in one transaction with its group run's header. */
  release: { guard: ['dispatched = :yes', 'attribute_not_exists(released)', 'group_run = :grun'], set: { released: ':yes' } },
  /** The member's group is gone or replaced under its ID: the member alone marks its slot released. */
  orphan: { guard: ['dispatched = :yes', 'attribute_not_exists(released)'], set: { released: ':yes' } },
} as const satisfies Record<string, SlotWrite>;

/**
 * What an ending write (`ends`) says about admission (lib/jobs/admission.ts), as
 * data, beside SLOT_WRITES: the counters it changes come with it in the same
 * transaction (`admissionRelease`), so a slot or a waiting place is given back
 * exactly once, whatever crashes between two writes.
 */
export const ADMISSION_WRITES = {
  /** Nothing held: no admission, or given back already. */
  none: { guard: ['(attribute_not_exists(adm_queued) OR adm_released = :yes)'], set: {} },
  /** Counted among its tenant's waiting jobs, never admitted: its tenant's `waiting` goes down. */
  unqueue: { guard: ['adm_queued = :yes', 'attribute_not_exists(admitted)', 'attribute_not_exists(adm_released)'], set: { adm_released: ':yes' } },
  /** Holds a slot: its tenant's and its slot shard's `running` go down. */
  release: { guard: ['admitted = :yes', 'attribute_not_exists(adm_released)'], set: { adm_released: ':yes' } },
} as const satisfies Record<string, SlotWrite>;

/** Aliases of the reserved words the expressions use. */
export const RESERVED_NAMES: Readonly<Record<string, string>> = { '#s': 'status', '#e': 'error', '#c': 'count', '#ttl': 'ttl', '#x': 'export' };

/** A transition as DynamoDB expressions, for the values the caller has. */
export function transitionExpressions(t: JobTransition, values: Record<string, unknown>, extra: { guard?: readonly string[]; set?: Readonly<Record<string, string>> } = {}) {
  const from = t.from.map((_, i) => `:from${i}`);
  const stateValues = Object.fromEntries(t.from.map((s, i) => [`:from${i}`, s]));
  const condition = [`#s IN (${from.join(', ')})`, ...t.guard, ...(extra.guard ?? [])].join(' AND ');
  const sets = Object.entries({ ...t.set, ...(extra.set ?? {}) })
    .filter(([, expr]) => !(/^:\w+$/.test(expr) && values[expr] === undefined && !expr.startsWith(':now')))
    .map(([attr, expr]) => `${attr} = ${expr}`);
  if (t.to) sets.unshift('#s = :to');
  const update = `SET ${sets.join(', ')}${t.remove.length ? ` REMOVE ${t.remove.join(', ')}` : ''}`;
  const text = `${condition} ${update}`;
  const names = Object.fromEntries(Object.entries(RESERVED_NAMES).filter(([alias]) => new RegExp(`${alias}\\b`).test(text)));
  names['#s'] = 'status';
  const used = new Set(text.match(/:\w+/g) ?? []);
  const all: Record<string, unknown> = { ...values, ...stateValues, ...(t.to ? { ':to': t.to } : {}) };
  // Every error a transition records is capped here, whoever wrote it (a database's message can be long).
  if (typeof all[':error'] === 'string') all[':error'] = capError(all[':error']);
  const now = Date.now();
  all[':now'] = new Date(now).toISOString();
  all[':nows'] = Math.floor(now / 1000);
  all[':nowms'] = values[':nowms'] ?? now;
  const exprValues = Object.fromEntries(Object.entries(all).filter(([k, v]) => used.has(k) && v !== undefined));
  return { condition, update, names, values: exprValues };
}
