import { describe, expect, it } from 'vitest';
import { JOB_TRANSITIONS, transitionExpressions, type JobTransition } from '../../lib/jobs/jobTransitions.js';
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
    const c = transitionExpressions(JOB_TRANSITIONS.cancel, { ':why': 'x' });
    expect(c.update).toMatch(/^SET #s = :to, finished_at = :now, #e = :why, expires_at = :nows \+ #ttl REMOVE pending_shard, due_at, lease_until/);
    expect(c.names).toEqual({ '#s': 'status', '#e': 'error', '#ttl': 'ttl' });
    expect(c.values[':to']).toBe('CANCELLED');
  });
});
