/**
 * Glossary (admission: fair share, priorities, an exact queue limit; docs/admission.md)
 * - slot: the right to run one job of a queue. A queue's `concurrency` slots are
 *   spread over slot shards (items `adm#<queue>#slot#<n>`, each counting `running`
 *   against its share of the limit), so no one item takes every start and end.
 * - tenant counter: one item per queue and tenant (`adm#<queue>#t#<tag>`): how many
 *   of the tenant's jobs run (`running`, capped by `tenant_concurrency`) and wait
 *   (`waiting`, capped by `tenant_max_queued`).
 * - roster: the tenant counters with waiting jobs, in the `admission` index under
 *   `roster#<queue>#NN` (sharded by tenant), ordered by when each tenant was last
 *   admitted: the least recently served tenant goes first (round robin).
 * - waiting list: a tenant's queued jobs in the same index under `wait#<queue>#<tag>`,
 *   ordered by priority (9 first), then submit time.
 * - queued: a job counted in its tenant's `waiting` (`adm_queued`); admitted: it
 *   holds a slot (`admitted`, `adm_slot` its shard) until its end gives it back
 *   (`adm_released`), in the same transaction as the end (lib/lifecycle/endJob.ts).
 *
 * What is here is pure: keys, orders and the counter updates written in one
 * transaction with a job's transition (lib/jobs/jobStore.ts).
 */
import { tenantTag } from '../identity/tenantScope.js';
import { DEFAULT_TENANT } from '../identity/caller.js';
import { shardKey } from './shardKey.js';
import type { JobItem } from './types.js';

/** Name of the index holding the rosters and the waiting lists (`adm_key`, `adm_order`). */
export const ADMISSION_INDEX = 'admission';

/** Attributes the admission index carries: what the dispatcher needs without reading the job or counter. */
export const ADMISSION_ATTRIBUTES = ['job_id', 'run_id', 'attempt', 'max_age', 'eta', 'queue', 'tenant_tag', 'waiting', 'running'] as const;

/**
 * Slots per slot shard: a shard item takes about two writes per job (its start and
 * its end), so 50 slots of one-second jobs make ~100 writes/s per item, a tenth of a
 * partition's 1,000. 5,000 slots make 100 shards.
 */
export const SLOTS_PER_SHARD = 50;

/** How many slot shards a queue of `concurrency` has. */
export const slotShards = (concurrency: number) => Math.max(1, Math.ceil(concurrency / SLOTS_PER_SHARD));

/** The slots of shard `n`: the limit spread as evenly as whole numbers allow; the shards add up to `concurrency` exactly. */
export function slotCap(concurrency: number, n: number): number {
  const shards = slotShards(concurrency);
  return Math.floor(concurrency / shards) + (n < concurrency % shards ? 1 : 0);
}

/** The tenant's short, fixed-length tag used in admission keys. */
export const admissionTenant = (job: Pick<JobItem, 'tenant'>) => tenantTag(job.tenant ?? DEFAULT_TENANT);

export const slotKey = (queue: string, n: number) => `adm#${queue}#slot#${n}`;
export const tenantCounterKey = (queue: string, tag: string) => `adm#${queue}#t#${tag}`;
export const waitListKey = (queue: string, tag: string) => `wait#${queue}#${tag}`;
/** The roster shard of a tenant: `roster#<queue>#NN`, picked by the tenant's tag. */
export const rosterKey = (queue: string, tag: string, shards: number) => shardKey(`roster#${queue}`, tag, shards);

/** A job's place in its tenant's waiting list: priority (9 first), then submit time, then ID. */
export const waitOrder = (job: Pick<JobItem, 'priority' | 'created_at' | 'job_id'>) => `${9 - (job.priority ?? 0)}#${job.created_at}#${job.job_id}`;

/** A tenant's place in the roster: when it was last admitted (0: never), so the least recently served comes first. */
export const rosterOrder = (lastAdmitMs: number, tag: string) => `${String(lastAdmitMs).padStart(15, '0')}#${tag}`;

/** A conditional update of a counter item, written in one transaction with a job's transition (JobStore's PairedUpdate). */
export interface PairedUpdate {
  Key: Record<string, unknown>;
  ConditionExpression?: string;
  UpdateExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** The queue's limits, as the dispatcher and the submit check them. */
export interface AdmissionLimits {
  concurrency: number;
  /** Per tenant running; the queue's concurrency when the queue sets none. */
  tenantConcurrency: number;
  /** Per tenant waiting; none: unbounded. */
  tenantMaxQueued?: number;
}

/**
 * A submit counts the job among its tenant's waiting ones, refused past
 * `tenant_max_queued`, and (re)enters the tenant in the roster.
 */
export function queueOne(queue: string, tag: string, shards: number, maxQueued: number | undefined): PairedUpdate {
  return queueMany(queue, tag, shards, 1, maxQueued);
}

/**
 * A group's submit counts `n` of its members (those of one queue, in one write)
 * among its tenant's waiting ones: all of them, or none when that would pass
 * `tenant_max_queued` (`n` above it is refused before anything is written).
 */
export function queueMany(queue: string, tag: string, shards: number, n: number, maxQueued: number | undefined): PairedUpdate {
  return {
    Key: { pk: tenantCounterKey(queue, tag) },
    ...(maxQueued === undefined ? {} : { ConditionExpression: 'attribute_not_exists(waiting) OR waiting <= :room' }),
    UpdateExpression:
      'SET waiting = if_not_exists(waiting, :zero) + :n, running = if_not_exists(running, :zero), adm_key = :roster, adm_order = if_not_exists(adm_order, :first), tenant_tag = :tag, queue = :q',
    ExpressionAttributeValues: {
      ':zero': 0,
      ':n': n,
      ':roster': rosterKey(queue, tag, shards),
      ':first': rosterOrder(0, tag),
      ':tag': tag,
      ':q': queue,
      ...(maxQueued === undefined ? {} : { ':room': maxQueued - n }),
    },
  };
}

/** A group's submit that failed gives back the `n` waiting places it counted (queueMany), in one write with removing its members. */
export function unqueueMany(queue: string, tag: string, n: number): PairedUpdate {
  return { Key: { pk: tenantCounterKey(queue, tag) }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'ADD waiting :minus', ExpressionAttributeValues: { ':minus': -n } };
}

/** A job that was counted at submit (an ETA job) joins its waiting list: its tenant stays in (or re-enters) the roster. */
export function stayInRoster(queue: string, tag: string, shards: number): PairedUpdate {
  return {
    Key: { pk: tenantCounterKey(queue, tag) },
    ConditionExpression: 'attribute_exists(pk)',
    UpdateExpression: 'SET adm_key = :roster',
    ExpressionAttributeValues: { ':roster': rosterKey(queue, tag, shards) },
  };
}

/** The admission of one job: one more running of its tenant, one fewer waiting, the tenant to the back of the roster. */
export function tenantTakes(queue: string, tag: string, tenantConcurrency: number, nowMs: number): PairedUpdate {
  return {
    Key: { pk: tenantCounterKey(queue, tag) },
    ConditionExpression: 'running < :tcap AND waiting > :zero',
    UpdateExpression: 'SET running = running + :one, waiting = waiting - :one, adm_order = :order',
    ExpressionAttributeValues: { ':tcap': tenantConcurrency, ':zero': 0, ':one': 1, ':order': rosterOrder(nowMs, tag) },
  };
}

/** The admission of one job takes a slot of shard `n`, only while that shard has one free. */
export function shardTakes(queue: string, n: number, concurrency: number): PairedUpdate {
  return {
    Key: { pk: slotKey(queue, n) },
    ConditionExpression: 'attribute_not_exists(running) OR running < :cap',
    UpdateExpression: 'SET running = if_not_exists(running, :zero) + :one',
    ExpressionAttributeValues: { ':cap': slotCap(concurrency, n), ':zero': 0, ':one': 1 },
  };
}

/**
 * An admitted coalesced waiter parks on its leader (the `parkAdmitted` transition):
 * its tenant runs one fewer and waits one more, and its slot shard has one more free.
 */
export function parkGivesBack(job: Pick<JobItem, 'queue' | 'tenant' | 'adm_slot'>): PairedUpdate[] {
  const tag = admissionTenant(job);
  return [
    { Key: { pk: tenantCounterKey(job.queue, tag) }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'ADD running :minus, waiting :one', ExpressionAttributeValues: { ':minus': -1, ':one': 1 } },
    { Key: { pk: slotKey(job.queue, job.adm_slot ?? 0) }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'ADD running :minus', ExpressionAttributeValues: { ':minus': -1 } },
  ];
}

/** How an ending write changes admission's counters (ADMISSION_WRITES in jobTransitions.ts says how the job's own item changes). */
export function admissionRelease(job: JobItem): { write: 'none' | 'unqueue' | 'release'; updates: PairedUpdate[] } {
  if (!job.adm_queued || job.adm_released) return { write: 'none', updates: [] };
  const tag = admissionTenant(job);
  const minus = { ':minus': -1 };
  if (!job.admitted) {
    return { write: 'unqueue', updates: [{ Key: { pk: tenantCounterKey(job.queue, tag) }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'ADD waiting :minus', ExpressionAttributeValues: minus }] };
  }
  return {
    write: 'release',
    updates: [
      { Key: { pk: tenantCounterKey(job.queue, tag) }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'ADD running :minus', ExpressionAttributeValues: minus },
      { Key: { pk: slotKey(job.queue, job.adm_slot ?? 0) }, ConditionExpression: 'attribute_exists(pk)', UpdateExpression: 'ADD running :minus', ExpressionAttributeValues: minus },
    ],
  };
}
