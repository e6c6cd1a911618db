import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Who runs on a data directory: the `npm start` process and its ports. */
export interface DataDirOwner {
  /** The process that started the local stack (not PostgreSQL's own pid). */
  pid: number;
  /** Its API port. */
  port: number;
  /** The embedded PostgreSQL's port, once it listens. */
  pgPort?: number;
}

/** The lock file beside a data directory (never inside it: initdb wants it empty). */
export const lockFile = (dataDir: string) => `${dataDir}.owner`;

/** The live owner of `dataDir`, if any; a lock left by a process that is gone does not count. */
export function readOwner(dataDir: string): DataDirOwner | undefined {
  let owner: DataDirOwner;
  try {
    owner = JSON.parse(readFileSync(lockFile(dataDir), 'utf8')) as DataDirOwner;
  } catch {
    return undefined;
  }
  return Number.isInteger(owner.pid) && owner.pid > 0 && isAlive(owner.pid) ? owner : undefined;
}

/** Thrown when another live process owns the data directory. */
export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: DataDirOwner,
  ) {
    super(
      `the embedded PostgreSQL's data directory ${dataDir} belongs to another npm start (pid ${owner.pid}, API on 127.0.0.1:${owner.port}), ` +
        `which keeps running; start this one on another port (SQL_JOBBER_PORT=${owner.port + 1} npm start: each port has a data directory of its own) ` +
        'or give it another directory (SQL_JOBBER_DATA_DIR=...)',
    );
    this.name = 'DataDirBusyError';
  }
}

/**
 * Claims `dataDir` for this process: writes the lock file atomically, taking over
 * one whose owner is gone. `update` records more about the owner (the PostgreSQL
 * port); `release` removes the lock (only if still ours).
 *
 * @throws DataDirBusyError when a live process owns it.
 */
export function claimDataDir(dataDir: string, owner: DataDirOwner) {
  const file = lockFile(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(owner), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const current = readOwner(dataDir);
      if (current && current.pid !== process.pid) throw new DataDirBusyError(dataDir, current);
      rmSync(file, { force: true }); // stale: its process is gone
    }
  }
  const ours = () => readOwner(dataDir)?.pid === owner.pid;
  return {
    update(more: Partial<DataDirOwner>) {
      if (ours()) writeFileSync(file, JSON.stringify({ ...owner, ...more }));
    },
    release() {
      if (ours()) rmSync(file, { force: true });
    },
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
