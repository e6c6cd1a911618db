import type { RunningQuery } from '../db/types.js';
import type { JobStore } from '../../../lib/jobs/jobStore.js';
import type { JobItem } from '../../../lib/jobs/types.js';

export interface LeaseOptions {
  /** How often the worker renews its lease (and learns of a cancel). */
  intervalMs: number;
  /** How long a renewal holds the job; past it, the sweeper takes the job back. */
  leaseMs: number;
}

export interface Lease {
  /** Records where the query runs (so a cancel can kill it) and renews the lease. */
  setRunning(running: RunningQuery): Promise<void>;
  /** True once the attempt no longer owns its job (cancelled, or taken back). */
  readonly lost: boolean;
  stop(): Promise<void>;
}

/**
 * Holds a running attempt's lease: renews it every `intervalMs` with a
 * conditional write. When a renewal is refused, the job was cancelled or taken
 * back, and `onLost` runs once (the worker kills its own query).
 */
export function startLease(store: JobStore, job: JobItem, opts: LeaseOptions, onLost: () => Promise<void> | void): Lease {
  let lost = false;
  let inFlight: Promise<void> = Promise.resolve();
  const renew = async (running?: RunningQuery) => {
    const held = await store.renewLease(job, Date.now() + opts.leaseMs, running);
    if (!held && !lost) {
      lost = true;
      await onLost();
    }
  };
  const timer = setInterval(() => {
    inFlight = inFlight.then(() => renew()).catch(() => undefined);
  }, opts.intervalMs);
  timer.unref();
  return {
    async setRunning(running) {
      inFlight = inFlight.then(() => renew(running)).catch(() => undefined);
      await inFlight;
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
