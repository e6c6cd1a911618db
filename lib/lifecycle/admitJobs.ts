import { lookup } from '../config/lookup.js';
import { admissionOn, type Config, type QueueConfig } from '../config/types.js';
import { admissionTenant, queueOne, rosterKey, stayInRoster, waitListKey, waitOrder, shardTakes, slotShards, tenantTakes, type AdmissionLimits } from '../jobs/admission.js';
import { allShardKeys } from '../jobs/shardKey.js';
import type { AdmissionEntry, RosterEntry } from '../jobs/jobStore.js';
import { parseEta } from '../jobs/parseEta.js';
import type { SlotDeps } from './types.js';
import type { Tracing } from '../observability/tracing.js';
import { WAITING_STATES, type JobItem } from '../jobs/types.js';

/** Tenants read per roster shard and round. */
const ROSTER_PAGE = 50;
/**
 * Roster shards read first per round: the caller's tenant's shard and a random sample
 * (fair in expectation, bounded reads); the rest only when these hold no tenant ready.
 */
const ROSTER_SAMPLE = 4;
/** Waiting-list entries read per tenant: the index is eventually consistent, so its head may be admitted already. */
const HEAD_PAGE = 5;
/** Slot shards tried per admission when the first is full. */
const SHARD_TRIES = 4;
/** Rounds per call: each round admits at most one job per tenant (round robin). */
const MAX_ROUNDS = 100;

/** The limits of a queue with admission. */
export function admissionLimits(q: QueueConfig): AdmissionLimits {
  return {
    concurrency: q.concurrency,
    tenantConcurrency: q.tenantConcurrency ?? q.concurrency,
    ...(q.tenantMaxQueued === undefined ? {} : { tenantMaxQueued: q.tenantMaxQueued }),
  };
}

/** `tracing`: when on, an admitted job's message carries its submit's traceparent. */
export type AdmitDeps = SlotDeps & { config: Config; tracing?: Pick<Tracing, 'enabled'> };

/**
 * Admits waiting jobs of a queue with admission into its free slots, and sends
 * their messages: round by round, the tenants with waiting jobs and room under
 * `tenant_concurrency`, least recently admitted first, each get their best waiting
 * job (highest priority, then oldest). Each admission is one transaction of the
 * job, its tenant's counter and a slot shard (lib/jobs/admission.ts), so the queue
 * and tenant limits hold exactly, however many admitters run at once. Safe to call
 * at any time (a submit, a job's end, the sweeper); returns how many it admitted.
 * `from`: see AdmitFrom.
 */
export async function admitJobs(deps: AdmitDeps, queue: string, from: AdmitFrom = {}): Promise<number> {
  const q = lookup(deps.config.queues, queue);
  if (!q || !admissionOn(q)) return 0;
  const limits = admissionLimits(q);
  const shards = slotShards(limits.concurrency);
  const full = new Set<number>();
  const isReady = readiness(limits);
  let hint = from.slot;
  let admitted = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const ahead = round === 0 ? await from.roster?.catch(() => undefined) : undefined;
    const tenants = ahead ?? (await rosterRound(deps, queue, isReady, from.tenant));
    const ready = tenants.filter(isReady);
    // Tenants with nothing waiting leave the roster (best effort: a submit puts them back).
    for (const t of tenants) if (t.waiting <= 0) void deps.store.leaveRoster(t.pk).catch(() => undefined);
    // A roster read ahead may show the ending tenant still holding the slot it gave back: then a fresh read decides.
    if (ready.length === 0 && ahead) continue;
    if (ready.length === 0) return admitted;
    let progress = false;
    for (const tenant of ready) {
      if (full.size >= shards) return admitted;
      const outcome = await admitOne(deps, queue, tenant, limits, shards, full, hint);
      if (outcome === 'admitted') {
        admitted++;
        progress = true;
        hint = undefined;
      } else if (outcome === 'busy') {
        progress = true;
        await new Promise((r) => setTimeout(r, Math.random() * 50));
      }
    }
    if (!progress && !ahead) return admitted;
  }
  return admitted;
}

/**
 * Where an admission comes from. `slot`: a slot shard just freed, tried first;
 * `tenant`: the tag of the tenant that submitted or ended a job, whose roster shard
 * is read first; `roster`: the first round's roster, read already (`readRoster`).
 */
export interface AdmitFrom {
  slot?: number;
  tenant?: string;
  roster?: Promise<RosterEntry[]>;
}

const readiness = (limits: AdmissionLimits) => (t: RosterEntry) => t.waiting > 0 && t.running < limits.tenantConcurrency;

/**
 * A queue's roster as an admission's first round reads it (`AdmitFrom.roster`), read
 * ahead: a job's end reads it beside its final write, so that the hand-over after it
 * starts with its transaction. Read before the end's write, the ending tenant still
 * counts the slot it gives back, so it may wait for the next round (it just ran one);
 * every other count is as fresh as a read after it. `undefined` for a queue without admission.
 */
export function readRoster(deps: AdmitDeps, queue: string, tenant: string): Promise<RosterEntry[]> | undefined {
  const q = lookup(deps.config.queues, queue);
  if (!q || !admissionOn(q)) return undefined;
  const roster = rosterRound(deps, queue, readiness(admissionLimits(q)), tenant);
  roster.catch(() => undefined);
  return roster;
}

/**
 * The roster's tenants this round, least recently admitted first: those of `tenant`'s
 * shard and a random sample of the others, `ROSTER_SAMPLE` shards in all; when none of
 * them is ready, every other shard too, so that a free slot never stays empty while a
 * job waits in a shard the sample missed (it would wait for the next end or sweep).
 * With nothing waiting in the queue, that reads every shard: see docs/admission.md.
 */
async function rosterRound(deps: AdmitDeps, queue: string, isReady: (t: RosterEntry) => boolean, tenant?: string): Promise<RosterEntry[]> {
  const count = deps.store.indexShardCount();
  const keys = allShardKeys(`roster#${queue}`, count);
  const own = tenant === undefined ? [] : [rosterKey(queue, tenant, count)];
  const others = keys.filter((key) => !own.includes(key));
  const start = Math.floor(Math.random() * others.length);
  const rotated = others.map((_, i) => others[(start + i) % others.length]!);
  const first = [...own, ...rotated].slice(0, ROSTER_SAMPLE);
  const read = (shardKeys: string[]) => Promise.all(shardKeys.map((key) => deps.store.roster(key, ROSTER_PAGE))).then((pages) => pages.flat());
  let tenants = await read(first);
  if (!tenants.some(isReady) && first.length < keys.length) tenants = [...tenants, ...(await read(keys.filter((key) => !first.includes(key))))];
  return tenants.sort((a, b) => (a.adm_order < b.adm_order ? -1 : a.adm_order > b.adm_order ? 1 : 0));
}

/**
 * One admission for `tenant`: its best waiting job takes a slot. 'none': nothing
 * to admit for it now (no entry, tenant full, every shard tried full); 'busy':
 * another admission raced this one (look again).
 */
async function admitOne(
  deps: AdmitDeps,
  queue: string,
  tenant: RosterEntry,
  limits: AdmissionLimits,
  shards: number,
  full: Set<number>,
  hint: number | undefined,
): Promise<'admitted' | 'none' | 'busy'> {
  const heads = await deps.store.waitingList(queue, tenant.tenant_tag, HEAD_PAGE);
  for (const entry of heads) {
    for (let tries = 0; tries < SHARD_TRIES; tries++) {
      const slot = pickShard(shards, full, tries === 0 ? hint : undefined);
      if (slot === undefined) return 'none';
      const now = Date.now();
      const out = await deps.store.admit(entry, slot, now, [tenantTakes(queue, tenant.tenant_tag, limits.tenantConcurrency, now), shardTakes(queue, slot, limits.concurrency)]);
      if (out === 'busy') return 'busy';
      if (out === 'written') {
        await sendAdmitted(deps, entry);
        return 'admitted';
      }
      if (out.refused[0]) return 'none'; // the tenant is at its limit (or its counter moved): next tenant
      if (out.refused[1]) {
        full.add(slot);
        continue;
      }
      break; // the entry is stale (admitted or cancelled meanwhile): the next one
    }
  }
  return 'none';
}

/** A free-looking slot shard: the hint, else a random one not seen full. */
function pickShard(shards: number, full: Set<number>, hint: number | undefined): number | undefined {
  if (hint !== undefined && hint < shards && !full.has(hint)) return hint;
  const open = Array.from({ length: shards }, (_, n) => n).filter((n) => !full.has(n));
  return open.length === 0 ? undefined : open[Math.floor(Math.random() * open.length)];
}

/**
 * Sends an admitted job's message. A failed send is logged: the record says it is
 * due, and the sweeper sends it again. With tracing on, the message carries the
 * traceparent its submit recorded (one read of that attribute alone), so the
 * worker's spans join the job's trace; with it off, nothing is read.
 */
async function sendAdmitted(deps: AdmitDeps, entry: AdmissionEntry): Promise<void> {
  try {
    const reuse = entry.max_age === undefined ? {} : { max_age: entry.max_age }; // result reuse (lib/reuse)
    const eta = entry.eta ? parseEta(entry.eta) : undefined;
    const traceparent = deps.tracing?.enabled ? await deps.store.traceparentOf(entry.job_id).catch(() => undefined) : undefined;
    await deps.queue.send(
      entry.queue,
      { job_id: entry.job_id, run_id: entry.run_id, queue: entry.queue, attempt: entry.attempt, ...reuse },
      eta !== undefined && eta > Date.now() ? eta : undefined,
      traceparent,
    );
  } catch (err) {
    deps.log?.warn("could not send an admitted job's message; the sweeper will send it again", { job_id: entry.job_id, error: (err as Error).message });
  }
}

/**
 * Whether a job of a queue with admission waits to join its tenant's waiting list:
 * one with an ETA (its message came at the ETA), or a group member its group has
 * dispatched. A job submitted without either joined at submit.
 */
export function waitsToJoin(job: JobItem): boolean {
  return (
    job.admission === true &&
    !job.admitted &&
    !job.adm_released &&
    job.adm_key === undefined &&
    WAITING_STATES.includes(job.status) &&
    (job.group_id === undefined || job.dispatched === true)
  );
}

/**
 * Puts a job that waits to join (waitsToJoin) into its tenant's waiting list,
 * counted among its tenant's waiting jobs (unless counted at submit), in one
 * transaction; then admits what the queue takes. A repeat joins nothing.
 */
export async function joinWaitingList(deps: AdmitDeps, job: JobItem): Promise<void> {
  const tag = admissionTenant(job);
  const shards = deps.store.indexShardCount();
  const counted = job.adm_queued === true;
  const counter = counted ? stayInRoster(job.queue, tag, shards) : queueOne(job.queue, tag, shards, undefined);
  await deps.store.joinWaitingList(job, waitListKey(job.queue, tag), waitOrder(job), counter, counted);
  await admitJobs(deps, job.queue, { tenant: tag });
}
