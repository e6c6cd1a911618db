import { describe, expect, it } from 'vitest';
import { ENDING_TRANSITIONS } from '../../lib/jobs/jobEndings.js';
import { ADMISSION_WRITES, JOB_TRANSITIONS, SLOT_WRITES, transitionExpressions, type JobTransition } from '../../lib/jobs/jobTransitions.js';
import { ACTIVE_STATES, FINAL_STATES, JOB_STATES } from '../../lib/jobs/types.js';

const entries = Object.entries(JOB_TRANSITIONS) as [string, JobTransition][];

describe('the job transitions table', () => {
  it.each(entries)('%s: starts from known states and moves to a known state', (_, t) => {
    expect(t.from.length).toBeGreaterThan(0);
    for (const s of t.from) expect(JOB_STATES).toContain(s);
    if (t.to) expect(JOB_STATES).toContain(t.to);
  });

  it('only the transitions that end a job lead to a final state, and each of them ends it (releasing a slot)', () => {
    for (const [name, t] of entries) {
      const final = t.to !== undefined && FINAL_STATES.includes(t.to);
      expect(Boolean(t.ends), name).toBe(final);
    }
  });

  it('the endings the member-end write takes are exactly the transitions that end a job', () => {
    expect([...ENDING_TRANSITIONS].sort()).toEqual(entries.filter(([, t]) => t.ends).map(([name]) => name).sort());
  });

  it('a slot holder never ends without its release: every slot write guards the slot facts, and only a release sets them', () => {
    expect(SLOT_WRITES.none.guard.join(' ')).toMatch(/released = :yes/);
    for (const w of [SLOT_WRITES.release, SLOT_WRITES.orphan]) {
      expect(w.guard).toEqual(expect.arrayContaining(['dispatched = :yes', 'attribute_not_exists(released)']));
      expect(w.set).toEqual({ released: ':yes' });
    }
    // Only the transaction with the group's header names the group's run: an orphan has none left to match.
    expect(SLOT_WRITES.release.guard).toContain('group_run = :grun');
    expect(SLOT_WRITES.orphan.guard).not.toContain('group_run = :grun');
  });

  it('an admitted job never ends without giving its slot back, nor a queued one without its place: each admission write guards those facts', () => {
    expect(ADMISSION_WRITES.none.guard.join(' ')).toMatch(/attribute_not_exists\(adm_queued\) OR adm_released = :yes/);
    expect(ADMISSION_WRITES.release.guard).toEqual(['admitted = :yes', 'attribute_not_exists(adm_released)']);
    expect(ADMISSION_WRITES.unqueue.guard).toEqual(expect.arrayContaining(['adm_queued = :yes', 'attribute_not_exists(admitted)']));
    for (const w of [ADMISSION_WRITES.release, ADMISSION_WRITES.unqueue]) expect(w.set).toEqual({ adm_released: ':yes' });
    // Only an admitted job may be claimed or resent.
    for (const t of [JOB_TRANSITIONS.claim, JOB_TRANSITIONS.resend]) expect(t.guard).toContain('(attribute_not_exists(admission) OR admitted = :yes)');
  });

  it('nothing leaves a final state: a finished job never runs again (purge only marks its tombstone)', () => {
    for (const [name, t] of entries) {
      if (t.from.some((s) => FINAL_STATES.includes(s))) {
        expect(name).toBe('purge');
        expect(t.to).toBeUndefined();
      }
    }
  });

  it('every transition from an active state is guarded beyond its state (the run, the attempt, or the expiry)', () => {
    for (const [name, t] of entries) {
      if (t.from.every((s) => ACTIVE_STATES.includes(s))) expect(t.guard.length, name).toBeGreaterThan(0);
    }
  });

  it('builds one condition and one update, with only the names and values they use', () => {
    const e = transitionExpressions(JOB_TRANSITIONS.renew, { ':run': 'r', ':a': 1, ':lease': 5, ':db': undefined, ':cid': undefined, ':tag': undefined, ':unused': 1 });
    expect(e.condition).toBe('#s IN (:from0) AND run_id = :run AND attempt = :a');
    expect(e.update).toBe('SET lease_until = :lease');
    expect(e.names).toEqual({ '#s': 'status' });
    expect(Object.keys(e.values).sort()).toEqual([':a', ':from0', ':lease', ':run']);
    const c = transitionExpressions(JOB_TRANSITIONS.cancel, { ':why': 'x', ':run': 'r', ':a': 0, ':was': 'PENDING' });
    expect(c.condition).toMatch(/ AND run_id = :run AND attempt = :a AND #s = :was$/);
    expect(c.update).toMatch(/^SET #s = :to, finished_at = :now, #e = :why, expires_at = :nows \+ #ttl REMOVE pending_shard, due_at, adm_key, adm_order, lease_until/);
    expect(c.names).toEqual({ '#s': 'status', '#e': 'error', '#ttl': 'ttl' });
    expect(c.values[':to']).toBe('CANCELLED');
  });
});
