import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { lazy, type App } from '../lib/app.js';
import { onColdStart } from '../lib/loadApp.js';
import { createDbPools, type DbPools } from '../lib/db/createDbPools.js';
import { parseJobMessage } from '../lib/jobs/parseJobMessage.js';
import { runJob } from '../lib/lifecycle/runJob.js';
import type { JobItem } from '../lib/jobs/types.js';
import { recordTraceparent } from '../lib/observability/tracing.js';

/**
 * The worker of every queue: one SQS-triggered function per queue, each running
 * this handler. A record whose processing throws is reported in
 * `batchItemFailures` and comes back; job failures themselves are recorded on
 * the job (RETRY/FAILURE) and do not fail the record.
 */
export const makeHandler = (app: () => App, pools: () => DbPools) => {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) => {
    app().log.addContext(context);
    try {
      return await processPartialResponse(
        event,
        async (record: SQSRecord) => {
          const message = parseJobMessage(record.body);
          const { log: parent, metrics } = app();
          // Every line this job logs carries its job_id and queue, and its task once claimed.
          const log = parent.createChild();
          log.appendKeys({ job_id: message.job_id, queue: message.queue, attempt: message.attempt });
          const observe = {
            claimed: (job: JobItem) => {
              log.appendKeys({ task: job.task });
              metrics?.started(job);
            },
            finished: (job: JobItem) => metrics?.finished(job),
            retried: (job: JobItem) => metrics?.retried(job),
          };
          const outcome = await runJob({ ...app(), pools: pools(), log, observe }, message, context.getRemainingTimeInMillis(), recordTraceparent(record));
          log.info('job message done', { outcome });
        },
        processor,
        { context },
      );
    } finally {
      // Spans leave before the invocation ends: a frozen container sends nothing.
      await app().tracing.flush();
    }
  };
};

export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
