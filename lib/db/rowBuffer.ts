/** One result row: canonical values (see `ColumnType`) in column order. */
export type Row = (string | null)[];

/** How a buffer slows its producer down: pause and resume reading the socket. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Pause the source once this many bytes of rows wait to be written. */
const DEFAULT_HIGH_WATER_BYTES = 4 * 1024 * 1024;

/**
 * Between a source connection that pushes rows as the socket delivers them and
 * the writer that pulls them in batches. When more than `highWaterBytes` wait,
 * the producer's socket is paused, so TCP flow control holds the rest on the
 * server: memory stays bounded whatever the result size, and there is no
 * round trip per batch as with a cursor.
 */
export class RowBuffer {
  readonly #flow: FlowControl;
  readonly #highWaterBytes: number;
  #rows: Row[] = [];
  #bytes = 0;
  #paused = false;
  #ended = false;
  #failed = false;
  #error: unknown;
  #waiter: { resolve: (rows: Row[]) => void; reject: (err: unknown) => void } | undefined;
  #wakeScheduled = false;

  constructor(flow: FlowControl, highWaterBytes = DEFAULT_HIGH_WATER_BYTES) {
    this.#flow = flow;
    this.#highWaterBytes = highWaterBytes;
  }

  push(row: Row, bytes: number): void {
    this.#rows.push(row);
    this.#bytes += bytes;
    if (!this.#paused && this.#bytes >= this.#highWaterBytes) {
      this.#paused = true;
      this.#flow.pause();
    }
    // Wake the reader after the current socket chunk is parsed, not per row.
    if (this.#waiter && !this.#wakeScheduled) {
      this.#wakeScheduled = true;
      setImmediate(() => this.#wake());
    }
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  fail(err: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#error = err;
    this.#wake();
  }

  /** The rows buffered so far (waiting for at least one); [] once the source ended. */
  next(): Promise<Row[]> {
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#rows.length > 0) return Promise.resolve(this.#take());
    if (this.#ended) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  #take(): Row[] {
    const rows = this.#rows;
    this.#rows = [];
    this.#bytes = 0;
    if (this.#paused) {
      this.#paused = false;
      this.#flow.resume();
    }
    return rows;
  }

  #wake(): void {
    this.#wakeScheduled = false;
    const waiter = this.#waiter;
    if (!waiter) return;
    if (this.#failed) {
      this.#waiter = undefined;
      waiter.reject(this.#error);
    } else if (this.#rows.length > 0) {
      this.#waiter = undefined;
      waiter.resolve(this.#take());
    } else if (this.#ended) {
      this.#waiter = undefined;
      waiter.resolve([]);
    }
  }
}
