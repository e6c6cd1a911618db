import type { RowBuffer } from '../shared/rowBuffer.js';

/**
 * PostgreSQL's binary COPY format, as far as the worker needs it: a header, then
 * one tuple per row (an int16 field count, then per field an int32 byte length,
 * -1 for NULL, and that many bytes), then an int16 -1 trailer. All big-endian.
 */

/** The 11-byte signature, then the flags (0: no OIDs) and the header extension's length (0). */
export const BINARY_COPY_HEADER: Buffer = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** The field count -1 that ends the data. */
export const BINARY_COPY_TRAILER: Buffer = Buffer.from([0xff, 0xff]);

const SIGNATURE_BYTES = 11;
const HEADER_BYTES = 19;
/** The `_row` field in front of a tuple's own: the new field count (2), the length 8 (4), the int8 (8). */
const ROW_PREFIX_BYTES = 14;
/** Flag bit 16: each tuple carries an OID first (servers before PostgreSQL 12, `WITH OIDS`). */
const FLAG_OIDS = 1 << 16;

type Phase = 'header' | 'extension' | 'count' | 'length' | 'data' | 'ended';

/**
 * Cuts the bytes of a binary `COPY ... TO STDOUT`, as the socket delivers them
 * (a chunk may end anywhere, inside a length too), into tuples, and puts each
 * into a `RowBuffer` with a `_row` field in front: the tuple's field count is
 * rewritten one higher and the int8 row number goes first. Every field's bytes
 * are copied as they are, never decoded. The source's header and trailer are
 * dropped; the writer sends its own (`BINARY_COPY_HEADER`, `BINARY_COPY_TRAILER`).
 */
export class BinaryCopyFramer {
  #phase: Phase = 'header';
  /** Bytes of a header, count or length that began in an earlier chunk. */
  readonly #partial = Buffer.alloc(HEADER_BYTES);
  #partialBytes = 0;
  /** Bytes still to skip: of the header extension, or of the current field. */
  #skip = 0;
  #fieldsLeft = 0;
  #fields = 0;

  /** Whether the trailer arrived: the stream is complete. */
  get ended(): boolean {
    return this.#phase === 'ended';
  }

  /** Frames one chunk into `buffer` (see `RowBuffer.pushEncoded`). */
  push(chunk: Buffer, buffer: RowBuffer): void {
    buffer.pushEncoded((out) => this.#frame(chunk, out));
  }

  #frame(chunk: Buffer, out: RowBuffer): void {
    let pos = 0;
    // Where the tuple bytes not yet copied to `out` start (-1: none, outside a tuple's fields).
    let copyFrom = this.#phase === 'length' || this.#phase === 'data' ? 0 : -1;
    while (pos < chunk.length) {
      switch (this.#phase) {
        case 'header': {
          pos = this.#gather(chunk, pos, HEADER_BYTES);
          const header = this.#ready;
          if (!header) break;
          if (!header.subarray(0, SIGNATURE_BYTES).equals(BINARY_COPY_HEADER.subarray(0, SIGNATURE_BYTES))) {
            throw new Error('the source did not send a binary COPY signature');
          }
          if (header.readUInt32BE(SIGNATURE_BYTES) & FLAG_OIDS) throw new Error('the source sent a binary COPY with OIDs, which the results cannot take');
          this.#skip = header.readUInt32BE(SIGNATURE_BYTES + 4);
          this.#phase = this.#skip > 0 ? 'extension' : 'count';
          break;
        }
        case 'extension': {
          const n = Math.min(this.#skip, chunk.length - pos);
          pos += n;
          this.#skip -= n;
          if (this.#skip === 0) this.#phase = 'count';
          break;
        }
        case 'count': {
          // The count is replaced, never copied: copy what came before it.
          if (copyFrom >= 0 && pos > copyFrom) out.copyBytes(chunk, copyFrom, pos);
          copyFrom = -1;
          let count: number;
          if (this.#partialBytes === 0 && pos + 2 <= chunk.length) {
            count = chunk.readInt16BE(pos);
            pos += 2;
          } else {
            pos = this.#gather(chunk, pos, 2);
            if (!this.#ready) break;
            count = this.#ready.readInt16BE(0);
          }
          if (count === -1) {
            this.#phase = 'ended';
            break;
          }
          if (count < 0 || count === 0x7fff) throw new Error(`the source sent a binary COPY tuple of ${count} fields`);
          this.#fields = count;
          out.startRow(ROW_PREFIX_BYTES, this.#prefix);
          copyFrom = pos;
          this.#fieldsLeft = count;
          if (count > 0) this.#phase = 'length';
          break;
        }
        case 'length': {
          // The usual case first: lengths that lie wholly in this chunk, read in a tight loop.
          if (this.#partialBytes === 0) {
            while (this.#fieldsLeft > 0 && pos + 4 <= chunk.length) {
              const length = chunk.readInt32BE(pos);
              if (length < -1) throw new Error(`the source sent a binary COPY field of ${length} bytes`);
              this.#fieldsLeft--;
              pos += 4;
              if (length > 0) {
                if (pos + length > chunk.length) {
                  this.#skip = pos + length - chunk.length;
                  pos = chunk.length;
                  this.#phase = 'data';
                  break;
                }
                pos += length;
              }
            }
            if (this.#phase === 'data') break;
            if (this.#fieldsLeft === 0) {
              this.#phase = 'count';
              break;
            }
            if (pos === chunk.length) break;
          }
          // A length split between chunks.
          pos = this.#gather(chunk, pos, 4);
          if (!this.#ready) break;
          const length = this.#ready.readInt32BE(0);
          if (length < -1) throw new Error(`the source sent a binary COPY field of ${length} bytes`);
          this.#fieldsLeft--;
          if (length > 0) {
            this.#skip = length;
            this.#phase = 'data';
          } else if (this.#fieldsLeft === 0) {
            this.#phase = 'count';
          }
          break;
        }
        case 'data': {
          const n = Math.min(this.#skip, chunk.length - pos);
          pos += n;
          this.#skip -= n;
          if (this.#skip === 0) this.#phase = this.#fieldsLeft === 0 ? 'count' : 'length';
          break;
        }
        case 'ended':
          throw new Error('the source sent data after the binary COPY trailer');
      }
    }
    if (copyFrom >= 0 && pos > copyFrom) out.copyBytes(chunk, copyFrom, pos);
  }

  /** What `#gather` completed: the bytes asked for, or undefined while they are still partial. */
  #ready: Buffer | undefined;

  /**
   * Gathers `bytes` bytes at `pos`, which may span chunks: sets `#ready` to all of
   * them once complete (a view of the chunk when they lie in it), else to undefined,
   * the part kept. Returns the position after what it consumed.
   */
  #gather(chunk: Buffer, pos: number, bytes: number): number {
    if (this.#partialBytes === 0 && pos + bytes <= chunk.length) {
      this.#ready = chunk.subarray(pos, pos + bytes);
      return pos + bytes;
    }
    const n = Math.min(bytes - this.#partialBytes, chunk.length - pos);
    chunk.copy(this.#partial, this.#partialBytes, pos, pos + n);
    this.#partialBytes += n;
    if (this.#partialBytes < bytes) {
      this.#ready = undefined;
    } else {
      this.#partialBytes = 0;
      this.#ready = this.#partial.subarray(0, bytes);
    }
    return pos + n;
  }

  /** The tuple's new field count, then `_row` as an int8 field. */
  readonly #prefix = (buf: Buffer, offset: number, row: number): number => {
    offset = buf.writeInt16BE(this.#fields + 1, offset);
    offset = buf.writeInt32BE(8, offset);
    // A row number stays below 2^53: two 32-bit halves, no BigInt per row.
    offset = buf.writeUInt32BE(Math.floor(row / 0x1_0000_0000), offset);
    return buf.writeUInt32BE(row >>> 0, offset);
  };
}
