import { GROUP_PAGE_SIZE, type GroupItem } from '../groups/types.js';
import { parseEta } from '../jobs/parseEta.js';
import type { JobItem } from '../jobs/types.js';
import { sendFirstMessage } from './sendFirstMessage.js';
import { takeSlot } from './slotChanges.js';
import type { SlotDeps } from './types.js';

/** When a member's message is due: its ETA, or now. */
export const dueAt = (job: Pick<JobItem, 'eta'>, nowMs = Date.now()) => Math.max(nowMs, job.eta ? parseEta(job.eta) : 0);

/** What became of an attempt to dispatch the member at one position. */
type TakeOutcome = 'taken' | 'moved' | 'refused';

/**
 * Dispatches the group's next members, in submission order, while it has free
 * slots: each dispatch is one transaction that takes a slot and a position and
 * marks the member dispatched, so a slot is never used twice and no member is
 * dispatched twice, however many fills run at once. A member that ended before its
 * turn (cancelled), or whose ID now belongs to a job outside this group, is
 * skipped. Safe to call at any time (after a member ended, from the sweeper);
 * returns how many members it dispatched.
 */
export async function fillGroup(deps: SlotDeps, groupId: string, groupRun?: string): Promise<number> {
  let dispatched = 0;
  let collisions = 0;
  for (;;) {
    const group = await deps.groups.get(groupId);
    if (!group || (groupRun !== undefined && group.group_run !== groupRun) || group.cancelled) return dispatched;
    if (group.next_index >= group.total) {
      if (group.finished >= group.total) await extendPages(deps, group, group.expires_at);
      return dispatched;
    }
    if (group.free_slots <= 0) return dispatched;
    const index = group.next_index;
    const page = await deps.groups.pageAt(group, index);
    const jobId = page?.job_ids[index % GROUP_PAGE_SIZE];
    const member = jobId === undefined ? undefined : await deps.store.get(jobId);
    const mayRun = member && member.group_id === group.group_id && member.group_run === group.group_run && member.status === 'PENDING' && !member.dispatched;
    if (!mayRun) {
      await deps.groups.skip(group, index);
      continue;
    }
    const outcome = await take(deps, group, index, member, dueAt(member));
    if (outcome === 'refused') {
      await deps.groups.skip(group, index);
      continue;
    }
    if (outcome === 'moved') {
      // Another dispatch or release got there first: jitter, growing a little, keeps many fills of one group from colliding in step.
      collisions++;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 10 * collisions)));
      continue;
    }
    dispatched++;
    // Pages live while the group dispatches; the header's expiry moves on with every member's end.
    if (page && (page.expires_at ?? 0) < group.expires_at) await deps.groups.extendPage(group, Math.floor(index / GROUP_PAGE_SIZE), group.expires_at);
    await sendFirstMessage(deps, member);
  }
}

/**
 * Dispatches the member at position `index` in one transaction: the header takes
 * the slot (slotChanges.ts, `takeSlot`), and the member (this group's run, still
 * waiting, never dispatched) is marked dispatched, due at `dueMs`.
 * 'moved': the header changed (another dispatch, a cancel, no free slot) or the
 * write met another one: read it again. 'refused': the member may not run
 * (cancelled, or its ID now belongs to another job): skip it.
 */
async function take(deps: SlotDeps, group: GroupItem, index: number, member: JobItem, dueMs: number): Promise<TakeOutcome> {
  const out = await deps.store.dispatch(member, group, dueMs, takeSlot(group, index));
  if (out === 'written') return 'taken';
  if (out === 'busy' || out.headerRefused) return 'moved';
  return 'refused';
}

/** At the group's end: its pages expire with its header. */
async function extendPages(deps: SlotDeps, group: GroupItem, expiresAt: number): Promise<void> {
  const pages = Math.ceil(group.total / GROUP_PAGE_SIZE);
  await Promise.all(Array.from({ length: pages }, (_, n) => deps.groups.extendPage(group, n, expiresAt)));
}
