/**
 * Watching a running job's progress from outside, for the progress test and its
 * bench (bench/progress.ts): what a client reads every `pollMs`, and what the
 * product writes to DynamoDB for it (SDK middleware on the stores' client: each
 * UpdateItem, or a transaction's Update, whose expression sets `rows_written`).
 */
import type { AwsClients } from '../../lib/awsClients.js';
import { configToml, onePostgres, queue } from './configToml.js';
import { startHandlerWorld, type HandlerWorld } from './handlerWorld.js';
import { sleep } from './until.js';

/**
 * The world of the progress test and bench: a handler world whose queue
 * `progress_q` (concurrency 1, `timeoutS`) runs `many_rows`, `rows` rows of
 * PostgreSQL at `dsn` into the same database.
 */
export function startProgressWorld(dsn: string, rows: number, timeoutS: number): Promise<HandlerWorld> {
  return startHandlerWorld({
    config: configToml({
      ...onePostgres(dsn),
      queues: { progress_q: queue(1, timeoutS) },
    }),
    tasks: `
-- name: many_rows
-- db: main
-- results: res
-- queue: progress_q
SELECT g AS id, md5(g::text) AS h, now() AS at FROM generate_series(1, ${rows}) g;
`,
  });
}

/** One progress write as the SDK sent it: when it was sent, how long it took, the rows it set. */
export interface ProgressWrite {
  at: number;
  ms: number;
  rows: number | undefined;
}

/** One status read: when it started, how long it took, what it said. */
export interface ProgressRead {
  at: number;
  ms: number;
  status: string;
  rows: number | null;
  progress: number | null;
  est: number | null;
}

/** Counts the progress writes on `ddb` from now on, until `stop()`. */
export function countProgressWrites(ddb: AwsClients['ddb']): { writes: ProgressWrite[]; stop(): void } {
  const writes: ProgressWrite[] = [];
  const name = `countProgressWrites${Math.random()}`;
  const updates = (input: Record<string, unknown>): Record<string, unknown>[] => {
    const items = (input.TransactItems as { Update?: Record<string, unknown> }[] | undefined)?.map((i) => i.Update).filter((u) => u !== undefined);
    return items ?? [input];
  };
  const middleware = (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
    const command = String(context.commandName);
    const progress =
      command === 'UpdateItemCommand' || command === 'TransactWriteItemsCommand' ? updates(args.input).find((u) => /\brows_written = /.test(String(u.UpdateExpression ?? ''))) : undefined;
    if (!progress) return next(args);
    const at = Date.now();
    const values = (progress.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
    const rows = /\brows_written = (:\w+)/.exec(String(progress.UpdateExpression))?.[1];
    try {
      return await next(args);
    } finally {
      // Plain, or marshalled (`{ N: "123" }`) when the document client's own middleware ran first.
      const value = rows === undefined ? undefined : values[rows];
      const n = typeof value === 'number' ? value : (value as { N?: string } | undefined)?.N;
      writes.push({ at, ms: Date.now() - at, rows: n === undefined ? undefined : Number(n) });
    }
  };
  ddb.middlewareStack.add(middleware as never, { step: 'initialize', name });
  return { writes, stop: () => void ddb.middlewareStack.remove(name) };
}

/** Reads `read()` every `pollMs` (after each read ends) until `done()`. */
export async function pollProgress(read: () => Promise<Record<string, unknown>>, done: () => boolean, pollMs = 500): Promise<ProgressRead[]> {
  const seen: ProgressRead[] = [];
  while (!done()) {
    const at = Date.now();
    const s = await read();
    seen.push({ at, ms: Date.now() - at, status: String(s.status), rows: s.rows_written as number | null, progress: s.progress as number | null, est: s.est_rows as number | null });
    await sleep(pollMs);
  }
  return seen;
}

/** What the reads and writes of one run show. */
export interface ProgressFigures {
  /** `rows_written` fell between two reads. */
  decreased: boolean;
  /** The longest time between two reads that saw `rows_written` change, from the first read of the run (STARTED) to the first that saw it final. */
  longestGapMs: number;
  /** When that gap began (ms since the run's start). */
  longestGapFromMs: number;
  /**
   * What the longest gap may honestly be when progress is written every `intervalMs`:
   * a change is seen by the first read that starts after it, so up to one poll
   * (`pollMs` and the slowest read) late, and a write lands up to its own time late.
   */
  gapBoundMs: number;
  /** The most progress writes within any `intervalMs` window: the renewals' alone, and with the final write. */
  mostRenewalsPerInterval: number;
  mostWritesPerInterval: number;
  /** The longest time between two progress writes (when they were sent): how often the figure changes at the source. */
  longestWriteGapMs: number;
  /** Progress writes in all, and the bound `floor(span / intervalMs) + 1` over the span from the run's start to the last one. */
  writes: number;
  writeBound: number;
}

/** The figures of one run that started at `startMs`; `reads` from pollProgress, `writes` from countProgressWrites. */
export function progressFigures(reads: readonly ProgressRead[], writes: readonly ProgressWrite[], startMs: number, intervalMs: number, pollMs: number): ProgressFigures {
  const running = reads.filter((r) => r.status === 'STARTED' || r.status === 'SUCCESS');
  const watched = running.slice(0, running.findIndex((r) => r.status === 'SUCCESS') + 1 || running.length);
  let decreased = false;
  for (let i = 1; i < watched.length; i++) if ((watched[i]!.rows ?? 0) < (watched[i - 1]!.rows ?? 0)) decreased = true;
  const changes = watched.filter((r, i) => i === 0 || r.rows !== watched[i - 1]!.rows).map((r) => r.at);
  let longestGapMs = 0;
  let longestGapFromMs = 0;
  for (let i = 1; i < changes.length; i++) {
    if (changes[i]! - changes[i - 1]! <= longestGapMs) continue;
    longestGapMs = changes[i]! - changes[i - 1]!;
    longestGapFromMs = changes[i - 1]! - startMs;
  }
  const slowestRead = Math.max(0, ...reads.map((r) => r.ms));
  const slowestWrite = Math.max(0, ...writes.map((w) => w.ms));
  const times = writes.map((w) => w.at).sort((a, b) => a - b);
  const most = (ts: readonly number[]) => {
    let out = 0;
    for (let i = 0, j = 0; i < ts.length; i++) {
      while (ts[i]! - ts[j]! >= intervalMs) j++;
      out = Math.max(out, i - j + 1);
    }
    return out;
  };
  let longestWriteGapMs = 0;
  for (let i = 1; i < times.length; i++) longestWriteGapMs = Math.max(longestWriteGapMs, times[i]! - times[i - 1]!);
  const span = times.length > 0 ? times.at(-1)! - startMs : 0;
  return {
    decreased,
    longestGapMs,
    longestGapFromMs,
    gapBoundMs: intervalMs + pollMs + slowestRead + slowestWrite,
    mostRenewalsPerInterval: most(times.slice(0, -1)),
    mostWritesPerInterval: most(times),
    longestWriteGapMs,
    writes: times.length,
    writeBound: Math.floor(span / intervalMs) + 1,
  };
}
