/** Encoded rows go into Buffers of this size (a bigger one for a bigger row). */
const CHUNK_BYTES = 256 * 1024;
/** Chunks kept for reuse once a writer recycled them (see `Batch`). */
const FREE_CHUNKS = 8;

/**
 * The bytes of encoded rows (COPY text, LOAD DATA text, binary COPY tuples)
 * waiting for a writer, in Buffers of `CHUNK_BYTES` that are filled again once
 * the writer copied them (`take().recycle`), so a long result reuses a handful
 * of chunks instead of allocating its size. Callers write at `offset` into the
 * Buffer `room` returns, then `commit` how far they wrote.
 */
export class EncodedChunks {
  #chunks: Buffer[] = [];
  #chunk: Buffer | undefined;
  /** Chunks replaced since the last take: all their bytes are in the next batch or earlier ones. */
  #retired: Buffer[] = [];
  /** Recycled chunks, of `CHUNK_BYTES`, to fill again. */
  #free: Buffer[] = [];
  /** Where the current chunk's part not yet handed out starts, and where its free space starts. */
  #start = 0;
  #offset = 0;

  /** Where the next bytes go in the Buffer `room` returned. */
  get offset(): number {
    return this.#offset;
  }

  /** The current chunk, replaced by a new one when fewer than `bytes` are left in it. */
  room(bytes: number): Buffer {
    if (this.#chunk === undefined || this.#chunk.length - this.#offset < bytes) {
      this.#seal();
      if (this.#chunk?.length === CHUNK_BYTES) this.#retired.push(this.#chunk);
      this.#chunk = (bytes <= CHUNK_BYTES ? this.#free.pop() : undefined) ?? Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
      this.#start = 0;
      this.#offset = 0;
    }
    return this.#chunk;
  }

  /** Says the bytes up to `end` of the current chunk are written; returns how many that added. */
  commit(end: number): number {
    const added = end - this.#offset;
    this.#offset = end;
    return added;
  }

  /** Copies `source[start, end)` in, going on in a new chunk when one is full; returns the bytes copied. */
  copy(source: Buffer, start: number, end: number): number {
    const total = end - start;
    while (start < end) {
      const target = this.room(Math.min(end - start, CHUNK_BYTES));
      const copied = source.copy(target, this.#offset, start, end);
      this.#offset += copied;
      start += copied;
    }
    return total;
  }

  /** Whether bytes wait to be taken. */
  get pending(): boolean {
    return this.#offset > this.#start || this.#chunks.length > 0;
  }

  /**
   * Hands out every byte written so far. `recycle`, once the taker copied them,
   * lets the chunks filled up until now be written again.
   */
  take(): { chunks: Buffer[]; recycle: () => void } {
    this.#seal();
    const retired = this.#retired;
    this.#retired = [];
    const recycle = () => {
      while (retired.length > 0 && this.#free.length < FREE_CHUNKS) this.#free.push(retired.pop() as Buffer);
      retired.length = 0;
    };
    const chunks = this.#chunks;
    this.#chunks = [];
    return { chunks, recycle };
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
}
