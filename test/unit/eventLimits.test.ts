/** Every event fits its sink: as it is when it does, slim (`truncated`) when it does not. */
import { describe, expect, it } from 'vitest';
import { SINK_LIMIT_BYTES, eventBody } from '../../lib/notify/eventLimits.js';
import type { CompletionEvent } from '../../lib/notify/types.js';

const jobEvent = (extra: Record<string, unknown>): CompletionEvent => ({
  id: 'e-1',
  type: 'job.finished',
  time: '2026-01-05T10:00:00.000Z',
  job: { job_id: 'a b', run_id: 'r', tenant: 'default', status: 'FAILURE', state: 'FAILURE', task: 't', queue: 'q', count: null, error: 'boom', schedule_id: 's', scheduled_for: '2026-01-05T09:00:00.000Z', ...extra },
});

describe('eventBody', () => {
  it('sends an event that fits as it is, to every sink', () => {
    const event = jobEvent({});
    for (const sink of ['sns', 'eventbridge', 'webhook'] as const) expect(eventBody(event, sink)).toBe(JSON.stringify(event));
  });

  it("sends one that does not fit slim: the job's identity, state, error and schedule, and where to read the rest", () => {
    const event = jobEvent({ warnings: Array.from({ length: 600 }, () => 'w'.repeat(500)) });
    const full = JSON.stringify(event);
    expect(Buffer.byteLength(full)).toBeGreaterThan(SINK_LIMIT_BYTES.sns);
    expect(Buffer.byteLength(full)).toBeLessThan(SINK_LIMIT_BYTES.webhook);
    const slim = eventBody(event, 'sns');
    expect(Buffer.byteLength(slim)).toBeLessThanOrEqual(SINK_LIMIT_BYTES.sns);
    expect(JSON.parse(slim)).toEqual({
      id: 'e-1', type: 'job.finished', time: '2026-01-05T10:00:00.000Z', truncated: true,
      job: { job_id: 'a b', run_id: 'r', tenant: 'default', status: 'FAILURE', state: 'FAILURE', task: 't', queue: 'q', count: null, error: 'boom', schedule_id: 's', scheduled_for: '2026-01-05T09:00:00.000Z', status_url: '/jobs/a%20b' },
    });
    expect(eventBody(event, 'eventbridge')).toBe(slim);
    // A webhook takes up to 1 MB: the whole event.
    expect(eventBody(event, 'webhook')).toBe(full);
  });
});
