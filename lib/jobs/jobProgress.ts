import type { JobItem } from './types.js';

/** How far a job got, as GET /jobs/{id} shows it. */
export interface JobProgressFigures {
  rows_written: number | null;
  bytes_written: number | null;
  est_rows: number | null;
  progress: number | null;
}

/** The highest `progress` a job shows before it is final: 1 means done, and only SUCCESS is. */
export const PROGRESS_BEFORE_FINAL = 0.99;

/**
 * A job's progress figures. While STARTED: what its last lease renewal carried
 * (0 until the first), and `progress` = rows written / the planner's estimate,
 * held below 1 (an estimate can be short), or null without an estimate. Waiting:
 * nothing written, progress 0. SUCCESS: every row, progress 1. FAILURE and
 * CANCELLED keep what the last attempt got to, progress null.
 */
export function jobProgress(job: JobItem): JobProgressFigures {
  const est = job.est_rows ?? null;
  switch (job.status) {
    case 'PENDING':
    case 'RETRY':
      return { rows_written: null, bytes_written: null, est_rows: null, progress: 0 };
    case 'STARTED': {
      const rows = job.rows_written ?? 0;
      const progress = est === null ? null : Math.min(PROGRESS_BEFORE_FINAL, rows / Math.max(1, est));
      return { rows_written: rows, bytes_written: job.bytes_written ?? 0, est_rows: est, progress };
    }
    case 'SUCCESS':
      return { rows_written: job.count ?? job.rows_written ?? null, bytes_written: job.bytes_written ?? null, est_rows: est, progress: 1 };
    default:
      return { rows_written: job.rows_written ?? null, bytes_written: job.bytes_written ?? null, est_rows: est, progress: null };
  }
}
