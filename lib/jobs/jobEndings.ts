import { capWarnings } from './capWarnings.js';
import { epochSeconds } from './isGone.js';
import { orphanedError } from './orphanAfter.js';
import type { JobItem, JobMessage } from './types.js';
import type { JobExport } from '../export/exportOptions.js';

/** The transitions of JOB_TRANSITIONS that end a job (`ends: true`); test/unit/jobTransitions.test.ts holds the two lists together. */
export const ENDING_TRANSITIONS = ['succeed', 'fail', 'expireToFailure', 'cancel', 'orphan', 'deadLetter'] as const;
/** The name of a transition that ends a job. */
export type EndingName = (typeof ENDING_TRANSITIONS)[number];

/**
 * One way a job ends, as data: the transition and the values its expressions
 * need. Built here, where the placeholders of JOB_TRANSITIONS are known; written by
 * the member-end write (lib/lifecycle/endJob.ts), which adds the group slot's part.
 */
export interface JobEnding {
  readonly transition: EndingName;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * STARTED → SUCCESS with the row count and the results table; the record expires after `ttl`.
 * `reusedFrom`: the table is a copy of that job's (result reuse, lib/reuse).
 * `warnings`: values the results database could not hold (kept capped; none: not recorded).
 * `bytes`: what the run handed its results writer (the final `bytes_written`).
 * `export`: the job's export with its manifest (lib/export). No `resultsTable`: a job with `"results": false`.
 * `truncated`: the table holds the rows before a result limit (`on_limit: truncate`).
 */
export function succeeded(
  job: JobItem,
  count: number,
  resultsTable: string | undefined,
  extra: { reusedFrom?: string; warnings?: readonly string[]; bytes?: number; export?: JobExport; truncated?: boolean } = {},
): JobEnding {
  const warnings = capWarnings(extra.warnings ?? []);
  return {
    transition: 'succeed',
    values: {
      ':run': job.run_id,
      ':a': job.attempt,
      ':count': count,
      ':table': resultsTable,
      ':exp': epochSeconds() + job.ttl,
      ':from': extra.reusedFrom,
      ':warnings': warnings.length ? warnings : undefined,
      ':bytes': extra.bytes,
      ':export': extra.export,
      ':truncated': extra.truncated === true ? true : undefined,
    },
  };
}

/** STARTED → FAILURE with the reason. */
export function failed(job: JobItem, error: string): JobEnding {
  return { transition: 'fail', values: { ':run': job.run_id, ':a': job.attempt, ':error': error, ':exp': epochSeconds() + job.ttl } };
}

/** STARTED with a lease that ran out before `nowMs`, no retry left → FAILURE with the reason. */
export function leaseExpired(job: JobItem, nowMs: number, reason: string): JobEnding {
  return { transition: 'expireToFailure', values: { ':run': job.run_id, ':a': job.attempt, ':nowms': nowMs, ':error': reason, ':exp': epochSeconds() + job.ttl } };
}

/** A waiting or running job → CANCELLED (DELETE /jobs/{id}, or a group that will never dispatch it). */
export function cancelledByRequest(job: Pick<JobItem, 'run_id' | 'attempt' | 'status'>): JobEnding {
  return { transition: 'cancel', values: { ':why': 'cancelled by request', ':run': job.run_id, ':a': job.attempt, ':was': job.status } };
}

/** A waiting or running job nobody asked about for its `orphan_after` → CANCELLED with `orphaned: ...`, unless asked about meanwhile. */
export function orphaned(job: Pick<JobItem, 'run_id' | 'orphan_after'>, nowMs = Date.now()): JobEnding {
  const after = job.orphan_after ?? 0;
  return { transition: 'orphan', values: { ':run': job.run_id, ':why': orphanedError(after), ':cut': nowMs - after * 1000 } };
}

/** A waiting job whose message is in the dead-letter queue → FAILURE, only for the attempt that message could start. */
export function deadLettered(message: Pick<JobMessage, 'run_id' | 'attempt'>, reason: string): JobEnding {
  return { transition: 'deadLetter', values: { ':run': message.run_id, ':a': message.attempt, ':error': reason } };
}
