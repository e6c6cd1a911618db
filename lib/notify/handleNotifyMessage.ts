import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventSinks } from './eventSinks.js';
import type { ExportStore } from '../export/exportStore.js';
import { manifestLink, type ManifestLink } from '../export/manifestLink.js';
import type { NotifyQueue } from './notifyQueue.js';
import type { Config } from '../config/types.js';
import type { GroupStore } from '../groups/groupStore.js';
import { groupStatus } from '../groups/groupStatus.js';
import type { JobStore } from '../jobs/jobStore.js';
import { ACTIVE_STATES, FINAL_STATES, type JobItem } from '../jobs/types.js';
import { pollUntil } from '../longPoll/pollUntil.js';
import { isFinalGroup } from '../longPoll/waitForGroup.js';
import { groupEvent, jobEvent } from './completionEvent.js';
import { deliverWebhook, webhookBackoffSeconds } from './deliverWebhook.js';
import type { DeliveryRecords } from './deliveryRecords.js';
import { eventBody } from './eventLimits.js';
import type { CompletionEvent, JobAnnouncement, NotifyMessage, SinkDelivery, WebhookDelivery } from './types.js';
import { NO_TRACING, SPAN_ATTRIBUTES, type SpanAttributes, type Tracing } from '../observability/tracing.js';

export interface NotifyDeps {
  config: Config;
  store: JobStore;
  groups: GroupStore;
  notifyQueue: Pick<NotifyQueue, 'send' | 'deadLetter'>;
  sinks: EventSinks;
  /** Which sinks took which event: a message that comes back sends only to the others. */
  deliveries: Pick<DeliveryRecords, 'delivered' | 'record'>;
  /** The webhook HMAC key (read once per cold start). */
  webhookSecret: () => Promise<string | undefined>;
  log: Pick<Logger, 'info' | 'warn'>;
  fetch?: typeof fetch;
  /** Sees each webhook delivery's outcome: metrics. */
  observe?: { webhook?(outcome: 'delivered' | 'failed'): void; sink?(sink: 'sns' | 'eventbridge', outcome: 'delivered' | 'failed'): void };
  /** Trace spans: one `notify delivery` per webhook POST (lib/observability/tracing.ts). */
  tracing?: Tracing;
  /** The export bucket: a job event carries a presigned URL of its export's manifest. */
  exportStore?: Pick<ExportStore, 'config' | 'presign'>;
}

/** What became of one message, for logs and tests. */
export type NotifyOutcome = 'sent' | 'dropped' | 'later' | 'delivered' | 'retry' | 'dead-lettered';

/** How long an announcement waits inside one invocation for its write to land (it is sent just before the write). */
const SETTLE_MS = 3_000;
/** A member's group is looked at again this much later, when it did not look final yet. */
const GROUP_RECHECK_SECONDS = 10;
/** Then it looks again every this many seconds... */
const RECHECK_SECONDS = 10;
/** ...for at most this long (a writer that died leaves the job to the lease sweeper, which announces its own write). */
const ANNOUNCEMENT_MAX_AGE_MS = 3600_000;

/**
 * Processes one message of the notify queue. Throws only for faults worth a
 * redelivery (DynamoDB or the notify queue itself down); a sink that refuses an
 * event gets a retry of its own, and the message is not redelivered for it. `traceparent`: the message's (the writer's
 * span), the parent of each delivery's span; messages sent on keep it.
 */
export async function handleNotifyMessage(deps: NotifyDeps, message: NotifyMessage, traceparent?: string): Promise<NotifyOutcome> {
  if (message.kind === 'job') return announced(deps, message, traceparent);
  if (message.kind === 'group') return (await groupFinished(deps, message.group_id, traceparent)) ? 'sent' : 'dropped';
  if (message.kind === 'sink') return (await deps.deliveries.delivered(message.event_id)).has(message.sink) ? 'dropped' : toSink(deps, message, traceparent);
  return (await deps.deliveries.delivered(message.event_id)).has(webhookSink(message.webhook)) ? 'dropped' : attempt(deps, message, traceparent);
}

/** A webhook's name among the sinks (DeliveryRecords). */
const webhookSink = (n: number) => `webhook:${n}`;

type Verdict = 'deliver' | 'drop' | 'wait';

/** Whether the announced write is there (deliver), will never be (drop), or may still come (wait). */
export function verdict(job: JobItem | undefined, a: JobAnnouncement): Verdict {
  if (!job) return 'drop';
  if (a.run_id !== undefined && job.run_id !== a.run_id) return 'drop';
  if (FINAL_STATES.includes(job.status)) {
    // A final state from before the announcement: the announced write was refused (that state was announced by its own writer).
    return job.finished_at !== undefined && Date.parse(job.finished_at) >= a.announced_at ? 'deliver' : 'drop';
  }
  if (a.attempt !== undefined && (job.attempt > a.attempt || job.status === 'RETRY')) return 'drop';
  return 'wait';
}

async function announced(deps: NotifyDeps, a: JobAnnouncement, traceparent: string | undefined): Promise<NotifyOutcome> {
  const job = await pollUntil(() => deps.store.get(a.job_id), (j) => verdict(j, a) !== 'wait', { waitMs: SETTLE_MS });
  const v = verdict(job, a);
  if (v === 'drop') return 'dropped';
  if (v === 'wait') {
    if (Date.now() - a.announced_at > ANNOUNCEMENT_MAX_AGE_MS) {
      deps.log.warn('an announced final write never came; dropping the announcement', { job_id: a.job_id, status: job?.status });
      return 'dropped';
    }
    await deps.notifyQueue.send(a, RECHECK_SECONDS, traceparent);
    return 'later';
  }
  await publish(deps, jobEvent(job!, await exportLink(deps, job!)), traceparent);
  // The member hands its slot on (and is counted in its group) just after its final write, so
  // this look may come too early: the group is looked at once more a little later.
  if (job!.group_id && !(await groupFinished(deps, job!.group_id, traceparent))) {
    await deps.notifyQueue.send({ kind: 'group', group_id: job!.group_id }, GROUP_RECHECK_SECONDS, traceparent);
  }
  return 'sent';
}

/** A finished export's manifest link for the event; without it (presigning failed) the event still goes, with the manifest's key. */
async function exportLink(deps: NotifyDeps, job: JobItem): Promise<ManifestLink | undefined> {
  try {
    return await manifestLink(deps.exportStore, job);
  } catch (err) {
    deps.log.warn('could not presign the export manifest for the event', { job_id: job.job_id, error: (err as Error).message });
    return undefined;
  }
}

/**
 * After a member's event: the group's event, when the group is final and no member
 * is still running (true: sent, or nothing left to send). The header is read first
 * (its counter of ended members, its cancelled flag), so the members are read only
 * when the group may be final. The member that ends last sees it (at once, or when
 * its group is looked at again), so it is sent at least once; duplicates carry the same ID.
 */
async function groupFinished(deps: NotifyDeps, groupId: string, traceparent: string | undefined): Promise<boolean> {
  const header = await deps.groups.get(groupId);
  if (!header) return true; // gone (expired or purged): nothing to send, nothing to look at again
  if (!(header.cancelled || header.finished >= header.total)) return false;
  const status = await groupStatus(deps, groupId);
  if (!isFinalGroup(status) || status.jobs.some((j) => (ACTIVE_STATES as readonly string[]).includes(j.status))) return false;
  await publish(deps, groupEvent(header, status), traceparent);
  return true;
}

/**
 * Sends one event to every sink that has not taken it yet (a message that comes
 * back skips those that have), each with a body that fits its limit. The sinks are
 * independent: one that refuses gets a retry of its own; the others are not sent again.
 */
async function publish(deps: NotifyDeps, event: CompletionEvent, traceparent: string | undefined): Promise<void> {
  const done = await deps.deliveries.delivered(event.id);
  const now = Date.now();
  const sends: Promise<unknown>[] = [];
  for (const sink of ['sns', 'eventbridge'] as const) {
    if (deps.sinks[sink] && !done.has(sink)) {
      sends.push(toSink(deps, { kind: 'sink', sink, event_id: event.id, type: event.type, body: eventBody(event, sink), attempt: 1, first_at: now }, traceparent));
    }
  }
  deps.config.notify.webhooks.forEach((_, webhook) => {
    if (!done.has(webhookSink(webhook))) sends.push(attempt(deps, { kind: 'webhook', webhook, event_id: event.id, body: eventBody(event, 'webhook'), attempt: 1, first_at: now }, traceparent));
  });
  await Promise.all(sends);
  deps.log.info('completion event sent', { event_id: event.id, type: event.type, webhooks: deps.config.notify.webhooks.length, skipped: done.size });
}

/** One SNS or EventBridge delivery; a refused one is queued again with backoff, or dead-lettered once `retry_for` would be passed. */
async function toSink(deps: NotifyDeps, d: SinkDelivery, traceparent: string | undefined): Promise<NotifyOutcome> {
  const event = { id: d.event_id, type: d.type, time: '' };
  let error: string | undefined;
  try {
    if (d.sink === 'sns') await deps.sinks.sns?.(event, d.body);
    else await deps.sinks.eventbridge?.(event, d.body);
  } catch (err) {
    error = `${(err as Error).name}: ${(err as Error).message}`.slice(0, 500);
  }
  deps.observe?.sink?.(d.sink, error === undefined ? 'delivered' : 'failed');
  if (error === undefined) {
    await deps.deliveries.record(d.event_id, d.sink);
    return 'delivered';
  }
  return later(deps, d, error, traceparent);
}

/** A refused delivery (webhook or sink): queued again after its backoff, or dead-lettered once `retry_for` would be passed. */
async function later(deps: NotifyDeps, d: WebhookDelivery | SinkDelivery, error: string, traceparent: string | undefined): Promise<NotifyOutcome> {
  const delay = webhookBackoffSeconds(d.attempt);
  const to = d.kind === 'sink' ? d.sink : webhookSink(d.webhook);
  if (Date.now() + delay * 1000 > d.first_at + deps.config.notify.retryForMs) {
    deps.log.warn('delivery dead-lettered after its retries', { event_id: d.event_id, to, attempts: d.attempt, error });
    await deps.notifyQueue.deadLetter({ ...d, last_error: error });
    return 'dead-lettered';
  }
  deps.log.info('delivery refused; retrying', { event_id: d.event_id, to, attempt: d.attempt, error, retry_in_s: delay });
  await deps.notifyQueue.send({ ...d, attempt: d.attempt + 1, last_error: error }, delay, traceparent);
  return 'retry';
}

/** One delivery; a refused one is queued again with backoff, or dead-lettered once `retry_for` would be passed. */
async function attempt(deps: NotifyDeps, d: WebhookDelivery, traceparent: string | undefined): Promise<NotifyOutcome> {
  const url = deps.config.notify.webhooks[d.webhook];
  if (url === undefined) {
    deps.log.warn('a webhook delivery for a receiver no longer configured; dropping it', { event_id: d.event_id, webhook: d.webhook });
    return 'dropped';
  }
  const secret = await deps.webhookSecret();
  if (secret === undefined) throw new Error('[notify] webhooks are set but webhook_secret is not');
  const tracing = deps.tracing ?? NO_TRACING;
  const span = tracing.start('notify delivery', tracing.enabled ? deliveryAttributes(d) : {}, { parent: traceparent, kind: 'client' });
  const error = await deliverWebhook(url, secret, d.event_id, d.body, deps.fetch, span.traceparent || undefined);
  span.end(error === undefined ? undefined : new Error(error));
  deps.observe?.webhook?.(error === undefined ? 'delivered' : 'failed');
  if (error === undefined) {
    await deps.deliveries.record(d.event_id, webhookSink(d.webhook));
    return 'delivered';
  }
  return later(deps, d, error, traceparent);
}

/** A delivery span's attributes: the webhook, the attempt, and the job's queue and task, from the event the delivery carries. */
function deliveryAttributes(d: WebhookDelivery): SpanAttributes {
  const attributes: Record<string, string | number> = { [SPAN_ATTRIBUTES.webhook]: d.webhook, [SPAN_ATTRIBUTES.deliveryAttempt]: d.attempt, [SPAN_ATTRIBUTES.eventId]: d.event_id };
  try {
    const job = (JSON.parse(d.body) as { job?: { job_id?: unknown; queue?: unknown; task?: unknown } }).job;
    for (const [key, value] of [[SPAN_ATTRIBUTES.jobId, job?.job_id], [SPAN_ATTRIBUTES.queue, job?.queue], [SPAN_ATTRIBUTES.task, job?.task]] as const) {
      if (typeof value === 'string') attributes[key] = value;
    }
  } catch {
    // our own JSON; a group's event has no job
  }
  return attributes;
}
