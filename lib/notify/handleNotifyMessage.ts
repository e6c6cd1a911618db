import type { Logger } from '@aws-lambda-powertools/logger';
import type { EventSinks } from '../aws/eventSinks.js';
import type { NotifyQueue } from '../aws/notifyQueue.js';
import type { Config } from '../config/types.js';
import type { GroupStore } from '../groups/groupStore.js';
import { groupStatus } from '../groups/groupStatus.js';
import type { JobStore } from '../jobs/jobStore.js';
import { ACTIVE_STATES, FINAL_STATES, type JobItem } from '../jobs/types.js';
import { pollUntil } from '../longPoll/pollUntil.js';
import { isFinalGroup } from '../longPoll/waitForGroup.js';
import { groupEvent, jobEvent } from './completionEvent.js';
import { deliverWebhook, webhookBackoffSeconds } from './deliverWebhook.js';
import type { CompletionEvent, JobAnnouncement, NotifyMessage, WebhookDelivery } from './types.js';

export interface NotifyDeps {
  config: Config;
  store: JobStore;
  groups: GroupStore;
  notifyQueue: Pick<NotifyQueue, 'send' | 'deadLetter'>;
  sinks: EventSinks;
  /** The webhook HMAC key (read once per cold start). */
  webhookSecret: () => Promise<string | undefined>;
  log: Pick<Logger, 'info' | 'warn'>;
  fetch?: typeof fetch;
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

/** Processes one message of the notify queue. Throws only for faults worth a redelivery (SNS/EventBridge/SQS down). */
export async function handleNotifyMessage(deps: NotifyDeps, message: NotifyMessage): Promise<NotifyOutcome> {
  if (message.kind === 'job') return announced(deps, message);
  if (message.kind === 'group') return (await groupFinished(deps, message.group_id)) ? 'sent' : 'dropped';
  return retryWebhook(deps, message);
}

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

async function announced(deps: NotifyDeps, a: JobAnnouncement): Promise<NotifyOutcome> {
  const job = await pollUntil(() => deps.store.get(a.job_id), (j) => verdict(j, a) !== 'wait', { waitMs: SETTLE_MS });
  const v = verdict(job, a);
  if (v === 'drop') return 'dropped';
  if (v === 'wait') {
    if (Date.now() - a.announced_at > ANNOUNCEMENT_MAX_AGE_MS) {
      deps.log.warn('an announced final write never came; dropping the announcement', { job_id: a.job_id, status: job?.status });
      return 'dropped';
    }
    await deps.notifyQueue.send(a, RECHECK_SECONDS);
    return 'later';
  }
  await publish(deps, jobEvent(job!));
  // The member hands its slot on (and is counted in its group) just after its final write, so
  // this look may come too early: the group is looked at once more a little later.
  if (job!.group_id && !(await groupFinished(deps, job!.group_id))) {
    await deps.notifyQueue.send({ kind: 'group', group_id: job!.group_id }, GROUP_RECHECK_SECONDS);
  }
  return 'sent';
}

/**
 * After a member's event: the group's event, when the group is final and no member
 * is still running (true: sent, or nothing left to send). The header is read first
 * (its counter of ended members, its cancelled flag), so the members are read only
 * when the group may be final. The member that ends last sees it (at once, or when
 * its group is looked at again), so it is sent at least once; duplicates carry the same ID.
 */
async function groupFinished(deps: NotifyDeps, groupId: string): Promise<boolean> {
  const header = await deps.groups.get(groupId);
  if (!header) return true; // gone (expired or purged): nothing to send, nothing to look at again
  if (!(header.cancelled || header.finished >= header.total)) return false;
  const status = await groupStatus(deps, groupId);
  if (!isFinalGroup(status) || status.jobs.some((j) => (ACTIVE_STATES as readonly string[]).includes(j.status))) return false;
  await publish(deps, groupEvent(header, status));
  return true;
}

/** Sends one event everywhere: SNS and EventBridge first (a failure there throws: the message comes back), then each webhook once. */
async function publish(deps: NotifyDeps, event: CompletionEvent): Promise<void> {
  const body = JSON.stringify(event);
  await Promise.all([deps.sinks.sns?.(event, body), deps.sinks.eventbridge?.(event, body)]);
  const now = Date.now();
  await Promise.all(
    deps.config.notify.webhooks.map((_, webhook) =>
      attempt(deps, { kind: 'webhook', webhook, event_id: event.id, body, attempt: 1, first_at: now }),
    ),
  );
  deps.log.info('completion event sent', { event_id: event.id, type: event.type, webhooks: deps.config.notify.webhooks.length });
}

async function retryWebhook(deps: NotifyDeps, d: WebhookDelivery): Promise<NotifyOutcome> {
  return attempt(deps, d);
}

/** One delivery; a refused one is queued again with backoff, or dead-lettered once `retry_for` would be passed. */
async function attempt(deps: NotifyDeps, d: WebhookDelivery): Promise<NotifyOutcome> {
  const url = deps.config.notify.webhooks[d.webhook];
  if (url === undefined) {
    deps.log.warn('a webhook delivery for a receiver no longer configured; dropping it', { event_id: d.event_id, webhook: d.webhook });
    return 'dropped';
  }
  const secret = await deps.webhookSecret();
  if (secret === undefined) throw new Error('[notify] webhooks are set but webhook_secret is not');
  const error = await deliverWebhook(url, secret, d.event_id, d.body, deps.fetch);
  if (error === undefined) return 'delivered';
  const delay = webhookBackoffSeconds(d.attempt);
  const next: WebhookDelivery = { ...d, attempt: d.attempt + 1, last_error: error };
  if (Date.now() + delay * 1000 > d.first_at + deps.config.notify.retryForMs) {
    deps.log.warn('webhook delivery dead-lettered after its retries', { event_id: d.event_id, webhook: d.webhook, attempts: d.attempt, error });
    await deps.notifyQueue.deadLetter({ ...d, last_error: error });
    return 'dead-lettered';
  }
  deps.log.info('webhook delivery refused; retrying', { event_id: d.event_id, webhook: d.webhook, attempt: d.attempt, error, retry_in_s: delay });
  await deps.notifyQueue.send(next, delay);
  return 'retry';
}
