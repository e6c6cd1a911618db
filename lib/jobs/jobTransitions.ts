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
   * Ends the job. For a group member that holds a slot, the store releases the slot
   * in the same transaction, so "released exactly once" follows from the write.
   */
  readonly ends?: boolean;
}

/** What a running attempt holds and loses when it stops running. */
const RUNNING_FIELDS = ['lease_until', 'lease_shard', 'running_db', 'connection_id', 'running_tag'] as const;
/** What a waiting job holds and loses when it stops waiting. */
const WAITING_FIELDS = ['pending_shard', 'due_at'] as const;

const THIS_RUN = 'run_id = :run';
const THIS_ATTEMPT = 'attempt = :a';
const NOT_EXPIRED = '(attribute_not_exists(expires_at) OR expires_at > :nows)';
/** A group member runs only once dispatched: a held member never claims a slot it was not given. */
const MAY_RUN = '(attribute_not_exists(group_id) OR dispatched = :yes)';

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
  /** A message starts one attempt of one run; a duplicate or stale one matches nothing. */
  claim: {
    from: WAITING_STATES,
    to: 'STARTED',
    // Its own queue: the lease shard is named from the message's queue, and the sweeper looks at configured queues only.
    guard: [THIS_RUN, THIS_ATTEMPT, MAY_RUN, 'queue = :queue'],
    set: { started_at: ':now', attempt: 'attempt + :one', lease_until: ':lease', lease_shard: ':lease_shard' },
    remove: [...WAITING_FIELDS, 'finished_at', '#e', 'running_db', 'connection_id', 'running_tag'],
  },
  /** The running attempt holds on, and says where its query runs. */
  renew: {
    from: ['STARTED'],
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { lease_until: ':lease', running_db: ':db', connection_id: ':cid', running_tag: ':tag' },
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
    set: { '#c': ':count', results_table: ':table', finished_at: ':now', expires_at: ':exp', reused_from: ':from', warnings: ':warnings' },
    remove: [...RUNNING_FIELDS, '#e'],
  },
  fail: {
    ...ending('FAILURE'),
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { '#e': ':error', finished_at: ':now', expires_at: ':exp' },
    remove: RUNNING_FIELDS,
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
    remove: RUNNING_FIELDS,
  },
  /** DELETE /jobs/{id}: a waiting job never runs; a running one is stopped. */
  cancel: {
    from: ACTIVE_STATES,
    to: 'CANCELLED',
    ends: true,
    guard: [NOT_EXPIRED],
    set: { finished_at: ':now', '#e': ':why', expires_at: ':nows + #ttl' },
    remove: [...WAITING_FIELDS, ...RUNNING_FIELDS],
  },
  /** The message that could start this attempt is in the dead-letter queue. */
  deadLetter: {
    from: WAITING_STATES,
    to: 'FAILURE',
    ends: true,
    guard: [THIS_RUN, THIS_ATTEMPT],
    set: { '#e': ':error', finished_at: ':now', expires_at: ':nows + #ttl' },
    remove: WAITING_FIELDS,
  },
  /** A waiting job whose message is overdue gets another one (at most once per `resend_after`). */
  resend: {
    from: WAITING_STATES,
    guard: [THIS_RUN, THIS_ATTEMPT, 'due_at = :due', MAY_RUN],
    set: { due_at: ':nowms' },
    remove: [],
  },
  /** DELETE ?purge=true: a tombstone, so a message still in flight claims nothing. */
  purge: {
    from: FINAL_STATES,
    guard: ['attribute_not_exists(purged)', NOT_EXPIRED],
    set: { purged: ':yes', expires_at: ':exp' },
    remove: ['args', '#e', 'results_table'],
  },
} as const satisfies Record<string, JobTransition>;

export type JobTransitionName = keyof typeof JOB_TRANSITIONS;

/** Aliases of the reserved words the expressions use. */
export const RESERVED_NAMES: Readonly<Record<string, string>> = { '#s': 'status', '#e': 'error', '#c': 'count', '#ttl': 'ttl' };

/** A transition as DynamoDB expressions, for the values the caller has. */
export function transitionExpressions(t: JobTransition, values: Record<string, unknown>, extra: { guard?: string[]; set?: Record<string, string> } = {}) {
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
  const now = Date.now();
  all[':now'] = new Date(now).toISOString();
  all[':nows'] = Math.floor(now / 1000);
  all[':nowms'] = values[':nowms'] ?? now;
  const exprValues = Object.fromEntries(Object.entries(all).filter(([k, v]) => used.has(k) && v !== undefined));
  return { condition, update, names, values: exprValues };
}
