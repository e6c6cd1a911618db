import { createHash } from 'node:crypto';
import { jobStatus } from '../jobs/jobStatus.js';
import type { JobItem } from '../jobs/types.js';
import type { CompletionEvent } from './types.js';

/** A UUID-shaped ID derived from `parts`: every duplicate of one event carries the same ID. */
export function eventId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** `job.finished`: the job's data as GET /jobs/{id} answers it. One final write, one ID. */
export function jobEvent(job: JobItem): CompletionEvent {
  const time = job.finished_at ?? new Date().toISOString();
  return { id: eventId('job', job.job_id, job.run_id, time), type: 'job.finished', time, job: jobStatus(job) };
}

/** `group.finished`: the group's data as GET /groups/{id} answers it. */
export function groupEvent(group: { group_id: string; created_at: string }, data: unknown, now = new Date()): CompletionEvent {
  return { id: eventId('group', group.group_id, group.created_at), type: 'group.finished', time: now.toISOString(), group: data };
}

/** EventBridge detail-types, by event type. */
export const DETAIL_TYPE = { 'job.finished': 'SQL Jobber Job State Change', 'group.finished': 'SQL Jobber Group State Change' } as const;
