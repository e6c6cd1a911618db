import type { RunningQuery } from '../db/port/types.js';
import type { JobStore } from '../jobs/jobStore.js';
import type { JobItem, JobProgress } from '../jobs/types.js';

export interface LeaseOptions {
  /** How often the worker renews its lease (and learns of a cancel). */
  intervalMs: number;
  /** How long a renewal holds the job; past it, the sweeper takes the job back. */
  leaseMs: number;
}

export interface Lease {
  /** Records where the query runs (so a cancel can kill it) and renews the lease. */
  setRunning(running: RunningQuery): Promise<void>;
  /**
   * Keeps the attempt's latest progress; the next renewal writes it. Never a write
   * of its own: progress costs no more than the lease's one write per interval.
   */
  setProgress(progress: Partial<JobProgress>): void;
  /** True once the attempt no longer owns its job (cancelled, or taken back). */
  readonly lost: boolean;
  stop(): Promise<void>;
}

/**
 * Holds a running attempt's lease: renews it every `intervalMs` with a
 * conditional write. When a renewal is refused, the job was cancelled or taken
 * back, and `onLost` runs once (the worker kills its own query). `onRenewed`
 * sees the job as each renewal wrote it (who asked about it last: orphan cancel).
 *
 * A renewal that neither succeeds nor is refused (DynamoDB slow, unreachable, or a
 * request hanging on a dead connection) is given up after `intervalMs`, so the
 * next one is not stuck behind it. And when no renewal has succeeded for so long
 * that the lease is about to run out (less than one interval left), the attempt
 * stands down as if refused: the sweeper may take the job back from then on, and
 * a second attempt must not find this one still running.
 */
export function startLease(store: JobStore, job: JobItem, opts: LeaseOptions, onLost: () => Promise<void> | void, onRenewed?: (held: JobItem) => void): Lease {
  let lost = false;
  // The claim wrote the first lease.
  let heldUntil = job.lease_until ?? Date.now() + opts.leaseMs;
  let inFlight: Promise<void> = Promise.resolve();
  // Sent with every renewal, so a cancel can find the query even if the first note of it failed.
  let current: RunningQuery | undefined;
  // The figures the next renewal carries; unset until the run reports any.
  let progress: JobProgress | undefined;
  const lose = async () => {
    if (lost) return;
    lost = true;
    await onLost();
  };
  // `carry`: with the progress so far. Only the timer's renewals carry it, so progress is written at most once per interval.
  const renew = async (carry: boolean) => {
    if (lost) return;
    const until = Date.now() + opts.leaseMs;
    const held = await store.renewLease(job, until, current, AbortSignal.timeout(opts.intervalMs), carry ? progress : undefined);
    if (held) {
      heldUntil = until;
      onRenewed?.(held);
    } else await lose();
  };
  const timer = setInterval(() => {
    if (!lost && Date.now() >= heldUntil - opts.intervalMs) {
      void Promise.resolve(lose()).catch(() => undefined);
      return;
    }
    inFlight = inFlight.then(() => renew(true)).catch(() => undefined);
  }, opts.intervalMs);
  timer.unref();
  return {
    async setRunning(running) {
      current = running;
      inFlight = inFlight.then(() => renew(false)).catch(() => undefined);
      await inFlight;
    },
    setProgress(p) {
      progress = { rows: 0, bytes: 0, ...progress, ...p };
    },
    get lost() {
      return lost;
    },
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}
