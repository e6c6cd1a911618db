import { encodeRow } from './encodeRows.js';
import type { Batch, BatchFormat, Row, RowTransform } from './types.js';

/** Writes a row's prefix (its `_row` number, framed as its format frames it) at `offset`; returns the offset after it. */
export type RowPrefix = (buf: Buffer, offset: number, row: number) => number;

/** How a buffer slows its producer down: pause and resume reading the socket. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/** Pause the source once this many bytes wait to be written. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** Encoded text goes into Buffers of this size (a bigger one for a bigger row). */
const CHUNK_BYTES = 256 * 1024;
/** Chunks kept for reuse once a writer recycled them (see `Batch`). */
const FREE_CHUNKS = 8;
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
 */
export class RowBuffer {
  readonly #flow: FlowControl;
  #format: BatchFormat | undefined;
  #rows: Row[] = [];
  #chunks: Buffer[] = [];
  #chunk: Buffer | undefined;
  /** Chunks replaced since the last batch was taken: all their bytes are in the next batch or earlier ones. */
  #retired: Buffer[] = [];
  /** Recycled chunks, of `CHUNK_BYTES`, to fill again. */
  #free: Buffer[] = [];
  /** Where the current chunk's part not yet handed out starts, and where its free space starts. */
  #start = 0;
  #offset = 0;
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

  constructor(flow: FlowControl) {
    this.#flow = flow;
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
    if (format === 'text') {
      const rows = this.#rows;
      this.#rows = [];
      this.#bytes = 0;
      for (const row of rows) this.#encode(row);
    }
    this.#wake();
  }

  /** Adds a row; `bytes` estimates its size when it is kept as values. */
  push(row: Row, bytes: number): void {
    if (this.#format === 'pg-binary') throw new Error('values cannot join a pg-binary stream');
    this.#count++;
    if (this.#format !== undefined) this.#transform?.(row);
    if (this.#format === 'text') {
      this.#encode(row);
    } else {
      this.#rows.push(row);
      this.#bytes += bytes;
    }
    this.#pushed();
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
    while (pos < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, pos);
      const end = nl < 0 ? chunk.length : nl + 1;
      if (!this.#lineOpen) this.#startRow(MAX_ROW_PREFIX + end - pos, writeRowNumber);
      this.#copy(chunk, pos, end);
      this.#lineOpen = nl < 0;
      pos = end;
    }
    this.#pushed();
  }

  /**
   * For a framer of an encoded format that is not text (see `pushEncoded`): starts
   * the next row, writing its prefix (at most `prefixBytes`) with `prefix`.
   */
  startRow(prefixBytes: number, prefix: RowPrefix): void {
    this.#startRow(prefixBytes, prefix);
  }

  /** For a framer: copies `chunk[start, end)`, bytes of the rows started so far, as they are. */
  copyBytes(chunk: Buffer, start: number, end: number): void {
    this.#copy(chunk, start, end);
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

  #startRow(room: number, prefix: RowPrefix): void {
    this.#count++;
    const target = this.#room(room);
    const start = this.#offset;
    this.#offset = prefix(target, start, ++this.#rowNumber);
    this.#bytes += this.#offset - start;
  }

  /** Copies bytes into the current chunk, going on in a new one when it is full. */
  #copy(chunk: Buffer, start: number, end: number): void {
    while (start < end) {
      const target = this.#room(Math.min(end - start, CHUNK_BYTES));
      const copied = chunk.copy(target, this.#offset, start, end);
      this.#offset += copied;
      this.#bytes += copied;
      start += copied;
    }
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
    if (this.#failed) return Promise.reject(this.#error);
    if (this.#format === undefined) return Promise.reject(new Error('setFormat must be called before next'));
    if (this.#pending()) return Promise.resolve(this.#take());
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
    const written = this.#room(line.length * MAX_BYTES_PER_UNIT).write(line, this.#offset, 'utf8');
    this.#offset += written;
    this.#bytes += written;
  }

  /** The current chunk, replaced by a new one when fewer than `bytes` are left in it. */
  #room(bytes: number): Buffer {
    if (this.#chunk === undefined || this.#chunk.length - this.#offset < bytes) {
      this.#seal();
      if (this.#chunk?.length === CHUNK_BYTES) this.#retired.push(this.#chunk);
      this.#chunk = (bytes <= CHUNK_BYTES ? this.#free.pop() : undefined) ?? Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
      this.#start = 0;
      this.#offset = 0;
    }
    return this.#chunk;
  }

  /** Whether rows or bytes wait (the rest of a line whose start went in the previous batch counts no row). */
  #pending(): boolean {
    return this.#count > 0 || this.#offset > this.#start || this.#chunks.length > 0;
  }

  /**
   * Queues the part of the current chunk filled since the last seal. The rest of
   * the chunk takes the next rows: a batch taken after a few rows does not cost
   * (and pin) a whole chunk, and the part handed out is never written again.
   */
  #seal(): void {
    if (this.#chunk !== undefined && this.#offset > this.#start) this.#chunks.push(this.#chunk.subarray(this.#start, this.#offset));
    this.#start = this.#offset;
  }

  #take(): Batch {
    const count = this.#count;
    this.#count = 0;
    this.#bytes = 0;
    let batch: Batch;
    if (this.#format !== 'rows') {
      this.#seal();
      const retired = this.#retired;
      this.#retired = [];
      const recycle = () => {
        while (retired.length > 0 && this.#free.length < FREE_CHUNKS) this.#free.push(retired.pop() as Buffer);
        retired.length = 0;
      };
      batch = { format: this.#format!, count, chunks: this.#chunks, recycle };
      this.#chunks = [];
    } else {
      batch = { format: 'rows', count, rows: this.#rows };
      this.#rows = [];
    }
    if (this.#paused) {
      this.#paused = false;
      this.#flow.resume();
    }
    return batch;
  }

  #wake(): void {
    this.#wakeScheduled = false;
    const waiter = this.#waiter;
    if (!waiter || this.#format === undefined) return;
    if (this.#failed) {
      this.#waiter = undefined;
      waiter.reject(this.#error);
    } else if (this.#pending()) {
      this.#waiter = undefined;
      waiter.resolve(this.#take());
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
