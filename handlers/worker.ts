import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { createApp, lazy, type App } from '../lib/app.js';
import { createDbPools, type DbPools } from '../lib/db/createDbPools.js';
import { parseJobMessage } from '../lib/jobs/parseJobMessage.js';
import { runJob } from '../lib/jobs/runJob.js';

/**
 * The worker of every queue: one SQS-triggered function per queue, each running
 * this handler. A record whose processing throws is reported in
 * `batchItemFailures` and comes back; job failures themselves are recorded on
 * the job (RETRY/FAILURE) and do not fail the record.
 */
export const makeHandler = (app: () => App, pools: () => DbPools) => {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event: SQSEvent, context: Context) =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const message = parseJobMessage(record.body);
        const outcome = await runJob({ ...app(), pools: pools() }, message, context.getRemainingTimeInMillis());
        app().log.info('job message done', { job_id: message.job_id, queue: message.queue, attempt: message.attempt, outcome });
      },
      processor,
      { context },
    );
};

export const handler = makeHandler(
  lazy(() => createApp()),
  lazy(() => createDbPools()),
);
