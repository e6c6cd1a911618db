import { MAX_ERROR_CHARS } from '../limits.js';
import type { CompletionEvent } from './types.js';

/**
 * The largest event body each sink takes, in bytes. SNS and EventBridge take 256 KB
 * per message (EventBridge counts the whole entry, SNS the message attributes too):
 * 4 KB are left for those. A webhook body is kept under 1 MB, what most receivers'
 * default body limits allow.
 */
export const SINK_LIMIT_BYTES = { sns: 256 * 1024 - 4096, eventbridge: 256 * 1024 - 4096, webhook: 1024 * 1024 } as const;
export type SinkName = keyof typeof SINK_LIMIT_BYTES;

/** What a job event keeps when the whole of it does not fit: who, what became of it, and where to read the rest. */
const SLIM_JOB_FIELDS = ['job_id', 'run_id', 'tenant', 'status', 'state', 'task', 'queue', 'count', 'error', 'group_id', 'schedule_id', 'scheduled_for', 'finished_at', 'export'] as const;

/**
 * An event's body as `sink` takes it: the event itself when it fits the sink's
 * limit (SINK_LIMIT_BYTES), else a slim copy with `truncated: true` that keeps the
 * job's identity, state, count and error (and `status_url`, where the rest is).
 * A group event is a summary and always fits. Throws if not even the slim copy fits.
 */
export function eventBody(event: CompletionEvent, sink: SinkName): string {
  const limit = SINK_LIMIT_BYTES[sink];
  const body = JSON.stringify(event);
  if (Buffer.byteLength(body) <= limit) return body;
  const job = (event.job ?? {}) as Record<string, unknown>;
  const slim: Record<string, unknown> = {};
  for (const field of SLIM_JOB_FIELDS) if (Object.hasOwn(job, field)) slim[field] = job[field];
  if (typeof slim.error === 'string') slim.error = slim.error.slice(0, MAX_ERROR_CHARS);
  if (typeof job.job_id === 'string') slim.status_url = `/jobs/${encodeURIComponent(job.job_id)}`;
  const small = JSON.stringify({ id: event.id, type: event.type, time: event.time, truncated: true, ...(event.job ? { job: slim } : { group: event.group }) });
  if (Buffer.byteLength(small) > limit) throw new Error(`event ${event.id} does not fit ${sink}'s ${limit} bytes even without its details`);
  return small;
}
