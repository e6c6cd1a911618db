import { createHash } from 'node:crypto';
import type { ManifestLink } from '../export/manifestLink.js';
import { jobStatus } from '../jobs/jobStatus.js';
import type { JobItem } from '../jobs/types.js';
import type { CompletionEvent } from './types.js';

/** A UUID-shaped ID derived from `parts`: every duplicate of one event carries the same ID. */
export function eventId(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * `job.finished`: the job's data as GET /jobs/{id} answers it. One final write, one ID.
 * A finished export's `export` also says where its manifest is (`link`, lib/export/manifestLink.ts).
 */
export function jobEvent(job: JobItem, link?: ManifestLink): CompletionEvent {
  const time = job.finished_at ?? new Date().toISOString();
  const status = jobStatus(job);
  const data = link && status.export ? { ...status, export: { ...status.export, ...link } } : status;
  return { id: eventId('job', job.job_id, job.run_id, time), type: 'job.finished', time, job: data };
}

/**
 * `group.finished`: a summary of the group (GET /groups/{id} without its members:
 * status, counts per status, total) and `status_url`, where its members are. It
 * never lists them: a group of 2,000 would not fit SNS's or EventBridge's 256 KB.
 */
export function groupEvent(group: { group_id: string; created_at: string }, data: { group_id: string; jobs?: unknown }, now = new Date()): CompletionEvent {
  const { jobs: _, ...summary } = data;
  return {
    id: eventId('group', group.group_id, group.created_at),
    type: 'group.finished',
    time: now.toISOString(),
    group: { ...summary, status_url: `/groups/${encodeURIComponent(data.group_id)}` },
  };
}

/** EventBridge detail-types, by event type. */
export const DETAIL_TYPE = { 'job.finished': 'SQL Jobber Job State Change', 'group.finished': 'SQL Jobber Group State Change' } as const;
