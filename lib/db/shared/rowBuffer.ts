import { EncodedChunks } from './encodedChunks.js';
import { encodeRow } from './encodeRows.js';
import { type GuardrailExceeded, type ResultLimits, resultLimitReached } from '../port/guardrails.js';
import type { Batch, BatchFormat, Row, RowTransform } from '../port/types.js';

/** Writes a row's prefix (its `_row` number, framed as its format frames it) at `offset`; returns the offset after it. */
export type RowPrefix = (buf: Buffer, offset: number, row: number) => number;

/** How a buffer slows its producer down: pause and resume reading the socket. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Pause the source once this many bytes wait to be written. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;
/** A `_row` number (at most 2^53, 16 digits) and its tab. */
const MAX_ROW_PREFIX = 17;
const NEWLINE = 0x0a;
const TAB = 0x09;

/**
 * Between a source connection that pushes rows as its socket delivers them and
 * the writer that pulls them in batches.
 *
 * In text mode each row is encoded (with its `_row` number) into a Buffer the
 * moment it arrives, so rows never outlive the socket chunk they came in: the
 * backlog is bytes outside the JS heap, and the heap does not grow with the
 * result. When more than `HIGH_WATER_BYTES` wait, the producer's socket is
 * paused and TCP flow control holds the rest on the server; there is no round
 * trip per batch as with a cursor. Until the writer says which format it takes
 * (`setFormat`), rows are kept as they are.
 *
 * With result limits (`ResultLimits`: a task's `max_rows`, `max_result_bytes`), a
 * row that would start past one is never taken: the producer is paused for good,
 * everything it still delivers is dropped, and `next` rejects with the limit
 * (`GuardrailExceeded`) so the run can cancel the query and fail: at once, or, with
 * `keepRows` (`on_limit: truncate`), once the rows before the limit are handed out.
 */
export class RowBuffer {
  readonly #flow: FlowControl;
  #format: BatchFormat | undefined;
  #rows: Row[] = [];
  /** The byte formats' rows, encoded. */
  readonly #encoded = new EncodedChunks();
  #count = 0;
  #rowNumber = 0;
  #bytes = 0;
  #paused = false;
  /** pushLines: the last chunk ended inside a line. */
  #lineOpen = false;
  #ended = false;
  #failed = false;
  #error: unknown;
  #waiter: { resolve: (batch: Batch | undefined) => void; reject: (err: unknown) => void } | undefined;
  #wakeScheduled = false;
  #transform: RowTransform | undefined;
  readonly #limits: ResultLimits;
  /** Rows started (pushed or numbered) and bytes taken, over the whole run: what the limits count. */
  #started = 0;
  #total = 0;
  /** The limit that stopped the rows, once one did. */
  #limit: GuardrailExceeded | undefined;

  constructor(flow: FlowControl, limits: ResultLimits = {}) {
    this.#flow = flow;
    this.#limits = limits;
  }

  /** Whether a limit stopped the rows (the rows before it are still handed out). */
  get limited(): boolean {
    return this.#limit !== undefined;
  }

  /**
   * Before a row starts: false (and the producer paused for good) once it would pass
   * a limit. Checked between rows, so `max_result_bytes` lets the row that crosses
   * it finish and stops the next one.
   */
  #mayStart(): boolean {
    if (this.#limit) return false;
    const { maxRows, maxBytes } = this.#limits;
    if (maxRows !== undefined && this.#started >= maxRows) this.#limit = resultLimitReached('max_rows', maxRows);
    // Bytes once the format is known (until then rows are values, counted again at setFormat).
    else if (maxBytes !== undefined && this.#format !== undefined && this.#total > maxBytes) this.#limit = resultLimitReached('max_result_bytes', maxBytes);
    else {
      this.#started++;
      return true;
    }
    this.#limits.onReached?.(this.#limit);
    if (!this.#paused) {
      this.#paused = true;
      this.#flow.pause();
    }
    if (this.#waiter && !this.#wakeScheduled) {
      this.#wakeScheduled = true;
      setImmediate(() => this.#wake());
    }
    return false;
  }

  /**
   * Chooses the batch format, and the writer's change to every row (applied before
   * it is encoded or handed over); rows already buffered are converted.
   */
  setFormat(format: BatchFormat, transform?: RowTransform): void {
    if (this.#format !== undefined) throw new Error('the batch format is already set');
    this.#format = format;
    this.#transform = transform;
    if (transform) for (const row of this.#rows) transform(row);
    if (format === 'pg-binary' && this.#rows.length > 0) throw new Error('values cannot join a pg-binary stream');
    if (this.#rows.length > 0) {
      // Nothing was taken before the format was known: these rows are counted again as the
      // format counts them, and the limits applied to them again (bytes only now).
      const rows = this.#rows;
      const limit = this.#limit;
      this.#rows = [];
      this.#total = 0;
      this.#bytes = 0;
      this.#count = 0;
      this.#started = 0;
      this.#limit = undefined;
      for (const row of rows) {
        if (!this.#mayStart()) break;
        this.#count++;
        this.#keep(row, 0);
      }
      this.#limit ??= limit;
    }
    this.#wake();
  }

  /** Adds a row; `bytes` estimates its size when it is kept as values. */
  push(row: Row, bytes: number): void {
    if (this.#format === 'pg-binary') throw new Error('values cannot join a pg-binary stream');
    if (!this.#mayStart()) return;
    this.#count++;
    if (this.#format !== undefined) this.#transform?.(row);
    this.#keep(row, bytes);
    this.#pushed();
  }

  /** A row started: encoded (text), or kept as values. */
  #keep(row: Row, bytes: number): void {
    if (this.#format === 'text') {
      this.#encode(row);
      return;
    }
    this.#rows.push(row);
    this.#bytes += bytes;
    // What the run counts of values (their text's length), when a limit counts it.
    if (this.#limits.maxBytes !== undefined) for (const v of row) if (v !== null) this.#total += v.length;
  }

  /**
   * Adds rows already encoded as text lines without their `_row` numbers (COPY
   * text, where every newline ends a row and a newline in a value is written
   * `\n`), as a socket delivers them: a chunk may end inside a line. Each line
   * gets its number in front and is copied as it is, never decoded. Text format only.
   */
  pushLines(chunk: Buffer): void {
    if (this.#format !== 'text') throw new Error('encoded lines need the text format');
    let pos = 0;
    while (pos < chunk.length && !this.#limit) {
      const nl = chunk.indexOf(NEWLINE, pos);
      const end = nl < 0 ? chunk.length : nl + 1;
      // Room for the number and the line's part here: both go in one chunk.
      if (!this.#lineOpen) this.startRow(MAX_ROW_PREFIX + end - pos, writeRowNumber);
      this.copyBytes(chunk, pos, end);
      this.#lineOpen = nl < 0;
      pos = end;
    }
    this.#pushed();
  }

  /**
   * Starts the next row of an encoded format (for `pushLines`, and for a framer, see
   * `pushEncoded`): writes its prefix with `prefix` into a chunk with at least
   * `room` bytes free (the prefix's most, plus what should follow it in the same chunk).
   */
  startRow(room: number, prefix: RowPrefix): void {
    if (!this.#mayStart()) return;
    this.#count++;
    const target = this.#encoded.room(room);
    this.#added(this.#encoded.commit(prefix(target, this.#encoded.offset, ++this.#rowNumber)));
  }

  /** Copies `chunk[start, end)`, bytes of the rows started so far, as they are. */
  copyBytes(chunk: Buffer, start: number, end: number): void {
    // Past a limit: the bytes of rows never started.
    if (this.#limit) return;
    this.#added(this.#encoded.copy(chunk, start, end));
  }

  #added(bytes: number): void {
    this.#bytes += bytes;
    this.#total += bytes;
  }

  /**
   * Adds encoded rows of a byte format other than text as a socket delivers them:
   * `frame` cuts `chunk` into rows, calling `startRow` and `copyBytes`.
   */
  pushEncoded(frame: (buffer: RowBuffer) => void): void {
    if (this.#format !== 'pg-binary') throw new Error('encoded rows need a byte format other than text');
    frame(this);
    this.#pushed();
  }

  /** How many rows were numbered so far (byte formats). */
  get rowsNumbered(): number {
    return this.#rowNumber;
  }

  /** pushLines: whether the last chunk ended inside a line (text that stops there lost its end). */
  get lineOpen(): boolean {
    return this.#lineOpen;
  }

  /** After a push: pauses the producer past the high-water mark, wakes a waiting reader. */
  #pushed(): void {
    if (!this.#paused && this.#bytes >= HIGH_WATER_BYTES) {
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

  /** The rows buffered so far (waiting for at least one); undefined once the source ended. */
  next(): Promise<Batch | undefined> {
    // A limit wins over how the query ended after it (cancelled, or done anyway).
    if (this.#failed && !this.#limit) return Promise.reject(this.#error);
    if (this.#format === undefined) return Promise.reject(new Error('setFormat must be called before next'));
    if (this.#limit && !this.#limits.keepRows) return Promise.reject(this.#limit);
    if (this.#pending()) return Promise.resolve(this.#take());
    if (this.#limit) return Promise.reject(this.#limit);
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  /**
   * Encodes a row straight into the current chunk. One UTF-8 write per row costs
   * more CPU than joining lines into a bigger string first, but measured, the
   * joined strings make V8 grow its heap by some 30 MB more at 1M rows.
   */
  #encode(row: Row): void {
    const line = encodeRow(row, ++this.#rowNumber);
    const target = this.#encoded.room(line.length * MAX_BYTES_PER_UNIT);
    const at = this.#encoded.offset;
    this.#added(this.#encoded.commit(at + target.write(line, at, 'utf8')));
  }

  /** Whether rows or bytes wait (the rest of a line whose start went in the previous batch counts no row). */
  #pending(): boolean {
    return this.#count > 0 || this.#encoded.pending;
  }

  #take(): Batch {
    const count = this.#count;
    this.#count = 0;
    this.#bytes = 0;
    let batch: Batch;
    if (this.#format !== 'rows') {
      batch = { format: this.#format!, count, ...this.#encoded.take() };
    } else {
      batch = { format: 'rows', count, rows: this.#rows };
      this.#rows = [];
    }
    if (this.#paused && !this.#limit) {
      this.#paused = false;
      this.#flow.resume();
    }
    return batch;
  }

  #wake(): void {
    this.#wakeScheduled = false;
    const waiter = this.#waiter;
    if (!waiter || this.#format === undefined) return;
    if ((this.#failed && !this.#limit) || (this.#limit && !this.#limits.keepRows)) {
      this.#waiter = undefined;
      waiter.reject(this.#limit ?? this.#error);
    } else if (this.#pending()) {
      this.#waiter = undefined;
      waiter.resolve(this.#take());
    } else if (this.#limit) {
      this.#waiter = undefined;
      waiter.reject(this.#limit);
    } else if (this.#ended) {
      this.#waiter = undefined;
      waiter.resolve(undefined);
    }
  }
}

/** Writes `n` (a positive integer) in decimal and a tab at `offset`; returns the offset after them. */
function writeRowNumber(buf: Buffer, offset: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  let i = offset + digits;
  for (let x = n; i > offset; x = Math.floor(x / 10)) buf[--i] = 48 + (x % 10);
  buf[offset + digits] = TAB;
  return offset + digits + 1;
}
