/**
 * Glossary
 * - completion event: what is pushed when a job or group reaches SUCCESS, FAILURE or
 *   CANCELLED: `{id, type, time, job | group}`, the same body to webhooks, SNS and EventBridge.
 * - announcement: the message a writer sends to the notify queue *before* a job's
 *   final write. The delivery function reads the job and sends the event once the
 *   write is there; an announcement whose write never happened (refused, or the
 *   writer died) finds nothing newer and is dropped. So no final write is without
 *   an event, even when its writer dies right after it (at least once).
 * - delivery: one event to one sink (a webhook POST, an SNS publish, an EventBridge
 *   entry). Sinks are independent: a refused one is retried alone with backoff through
 *   the notify queue, then dead-lettered; what each sink took is recorded
 *   (DeliveryRecords), so a notify message that comes back never sends twice to a sink.
 * - group event: a summary (counts, a link to the group's status), never its members.
 */

/** A writer is about to make this job final (see the glossary). */
export interface JobAnnouncement {
  kind: 'job';
  job_id: string;
  /** The run the writer holds, when it knows it (a cancel does not). */
  run_id?: string;
  /** The attempt the writer holds, when it knows it. */
  attempt?: number;
  /** Epoch ms, taken before the write: the write's `finished_at` is not earlier. */
  announced_at: number;
}

/** A webhook delivery still to make (after a refusal). The URL is looked up by index in the config. */
export interface WebhookDelivery {
  kind: 'webhook';
  webhook: number;
  event_id: string;
  /** The event's JSON exactly as first sent, so every retry signs the same bytes. */
  body: string;
  /** 1-based number of the delivery this message makes. */
  attempt: number;
  /** Epoch ms of the first delivery: retries end `retry_for` after it. */
  first_at: number;
  /** Why the previous delivery failed. */
  last_error?: string;
}

/** An SNS or EventBridge delivery still to make (after a refusal), retried like a webhook's. */
export interface SinkDelivery {
  kind: 'sink';
  sink: 'sns' | 'eventbridge';
  event_id: string;
  type: EventType;
  /** The body exactly as first sent. */
  body: string;
  attempt: number;
  first_at: number;
  last_error?: string;
}

/**
 * Look at a group again: a member's event was sent while the group's counters
 * (updated as the member hands its slot on, after its final write) did not yet show
 * it final.
 */
export interface GroupCheck {
  kind: 'group';
  group_id: string;
}

export type NotifyMessage = JobAnnouncement | WebhookDelivery | SinkDelivery | GroupCheck;

export type EventType = 'job.finished' | 'group.finished';

export interface CompletionEvent {
  id: string;
  type: EventType;
  /** ISO 8601. */
  time: string;
  job?: unknown;
  group?: unknown;
}

/** What announces final writes: the notify queue's sender (lib/notify/notifyQueue.ts). */
export interface Announcer {
  announce(a: Omit<JobAnnouncement, 'kind' | 'announced_at'>, traceparent?: string): Promise<void>;
}
