import { describe, expect, it } from 'vitest';
import { RowBuffer } from '../../lib/db/shared/rowBuffer.js';
import type { Batch } from '../../lib/db/port/types.js';

const LINES = 20_000;
/** About 5 MB of lines: some twenty chunks. */
const line = (i: number) => `${String(i).padStart(8, '0')}${'x'.repeat(240)}\n`;
const expected = Array.from({ length: LINES }, (_, i) => `${i + 1}\t${line(i)}`).join('');

/** Feeds the lines in socket-sized pieces, taking a batch now and then as a writer would. */
async function drain(onBatch: (batch: Extract<Batch, { chunks: Buffer[] }>) => void): Promise<void> {
  const buffer = new RowBuffer({ pause: () => {}, resume: () => {} });
  buffer.setFormat('text');
  for (let i = 0; i < LINES; i += 1000) {
    buffer.pushLines(Buffer.from(Array.from({ length: 1000 }, (_, k) => line(i + k)).join('')));
    if (i % 3000 === 0) {
      const batch = await buffer.next();
      if (batch?.format === 'text') onBatch(batch);
    }
  }
  buffer.end();
  for (let batch = await buffer.next(); batch; batch = await buffer.next()) if (batch.format === 'text') onBatch(batch);
}

describe('RowBuffer chunk recycling', () => {
  it('fills recycled chunks again, so a writer that copies its batches keeps the memory bounded', async () => {
    // Prepare
    const memory = new Set<ArrayBufferLike>();
    let text = '';

    // Act: copy each batch, then recycle it
    await drain((batch) => {
      text += Buffer.concat(batch.chunks).toString('latin1');
      for (const c of batch.chunks) memory.add(c.buffer);
      batch.recycle?.();
    });

    // Assess: every line, once, in order, from a handful of chunks
    expect(text).toBe(expected);
    expect(memory.size).toBeLessThanOrEqual(10);
  });

  it('never writes again into the chunks of batches nobody recycled', async () => {
    // Prepare
    const batches: Buffer[][] = [];
    const memory = new Set<ArrayBufferLike>();

    // Act: keep every batch's chunks, as a writer still sending them would
    await drain((batch) => {
      batches.push(batch.chunks);
      for (const c of batch.chunks) memory.add(c.buffer);
    });

    // Assess: read only at the end, they still hold every line
    expect(Buffer.concat(batches.flat()).toString('latin1')).toBe(expected);
    expect(memory.size).toBeGreaterThan(15);
  });
});
