import { describe, expect, it } from 'vitest';
import { BINARY_COPY_HEADER, BINARY_COPY_TRAILER, BinaryCopyFramer } from '../../lib/db/postgres/binaryCopy.js';
import { RowBuffer } from '../../lib/db/shared/rowBuffer.js';
import type { Batch } from '../../lib/db/port/types.js';

/** One tuple of binary COPY: its fields, null as length -1. */
function tuple(fields: (Buffer | null)[]): Buffer {
  const parts = [int16(fields.length)];
  for (const f of fields) parts.push(f === null ? int32(-1) : Buffer.concat([int32(f.length), f]));
  return Buffer.concat(parts);
}
const int16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const rowField = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

const TUPLES: (Buffer | null)[][] = [
  [Buffer.from('a'), null, Buffer.from('ñ😀')],
  [Buffer.alloc(0), Buffer.from([0xff, 0xff, 0, 0]), null],
  [null, null, null],
  [Buffer.from('x'.repeat(300)), Buffer.from('y'), Buffer.from([0])],
  [],
];

/** What the source sends: a header with a 3-byte extension, the tuples, the trailer. */
const source = Buffer.concat([BINARY_COPY_HEADER.subarray(0, 15), int32(3), Buffer.from('ext'), ...TUPLES.map(tuple), BINARY_COPY_TRAILER]);
/** What the writer must get between its own header and trailer: each tuple with `_row` first. */
const expected = Buffer.concat(TUPLES.map((fields, i) => tuple([rowField(i + 1), ...fields])));

async function frame(pieces: Buffer[], takeAfterFirst = false): Promise<{ bytes: Buffer; count: number; framer: BinaryCopyFramer; buffer: RowBuffer }> {
  const buffer = new RowBuffer({ pause: () => {}, resume: () => {} });
  buffer.setFormat('pg-binary');
  const framer = new BinaryCopyFramer();
  const batches: Batch[] = [];
  pieces.forEach((piece, i) => {
    framer.push(piece, buffer);
    if (takeAfterFirst && i === 0) void buffer.next().then((b) => b && batches.push(b));
  });
  await new Promise((r) => setImmediate(r));
  buffer.end();
  for (let b = await buffer.next(); b; b = await buffer.next()) batches.push(b);
  const bytes = Buffer.concat(batches.flatMap((b) => (b.format === 'pg-binary' ? b.chunks : [])));
  return { bytes, count: batches.reduce((n, b) => n + b.count, 0), framer, buffer };
}

describe('BinaryCopyFramer', () => {
  it('puts _row in front of every tuple, however the socket splits the stream', async () => {
    for (let cut = 0; cut <= source.length; cut++) {
      for (const step of [1, 3, 7]) {
        const pieces = [source.subarray(0, cut)];
        for (let i = cut; i < source.length; i += step) pieces.push(source.subarray(i, Math.min(source.length, i + step)));
        const { bytes, count, framer, buffer } = await frame(pieces, true);
        expect(bytes.equals(expected), `cut at ${cut}, then ${step} bytes at a time`).toBe(true);
        expect(count).toBe(TUPLES.length);
        expect(buffer.rowsNumbered).toBe(TUPLES.length);
        expect(framer.ended).toBe(true);
      }
    }
  });

  it('is not ended while a tuple or the trailer is still missing', async () => {
    const { framer, count } = await frame([source.subarray(0, source.length - 2)]);
    expect(count).toBe(TUPLES.length);
    expect(framer.ended).toBe(false);
    const cut = await frame([source.subarray(0, source.length - 5)]);
    expect(cut.framer.ended).toBe(false);
  });

  it.each([
    ['a stream that is not binary COPY', Buffer.from('1\tabc\n'.repeat(10)), /signature/],
    ['tuples with OIDs', Buffer.concat([BINARY_COPY_HEADER.subarray(0, 11), int32(1 << 16), int32(0), tuple([])]), /OIDs/],
    ['a negative field length', Buffer.concat([BINARY_COPY_HEADER, int16(1), int32(-2)]), /-2 bytes/],
    ['a negative field count', Buffer.concat([BINARY_COPY_HEADER, int16(-3)]), /-3 fields/],
    ['bytes after the trailer', Buffer.concat([BINARY_COPY_HEADER, BINARY_COPY_TRAILER, tuple([])]), /after the binary COPY trailer/],
  ])('refuses %s', (_, bytes, message) => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} });
    buffer.setFormat('pg-binary');
    expect(() => new BinaryCopyFramer().push(bytes, buffer)).toThrow(message);
  });

  it('takes no values and no text lines in the pg-binary format', () => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} });
    buffer.setFormat('pg-binary');
    expect(() => buffer.push(['1'], 1)).toThrow(/pg-binary/);
    expect(() => buffer.pushLines(Buffer.from('1\n'))).toThrow(/text format/);
  });
});
