import { describe, expect, it } from 'vitest';
import { RowBuffer } from '../../lib/db/shared/rowBuffer.js';
import type { Batch } from '../../lib/db/port/types.js';

const text = (batches: Batch[]) => Buffer.concat(batches.flatMap((b) => (b.format === 'text' ? b.chunks : []))).toString('utf8');

describe('RowBuffer.pushLines', () => {
  it('numbers each COPY text line once, however the chunks split it', async () => {
    const lines = ['a\tb', '', '\\N\tx\\ny', 'ñ😀漢', 'last'].map((l) => `${l}\n`);
    const whole = Buffer.from(lines.join(''));
    const expected = lines.map((l, i) => `${i + 1}\t${l}`).join('');
    // Every split point, one byte at a time included (inside a UTF-8 sequence too).
    for (let cut = 0; cut <= whole.length; cut++) {
      const buffer = new RowBuffer({ pause: () => {}, resume: () => {} });
      buffer.setFormat('text');
      const batches: Batch[] = [];
      buffer.pushLines(whole.subarray(0, cut));
      // A batch taken mid-line: the rest of the line follows in the next one.
      const first = cut > 0 ? await buffer.next() : undefined;
      if (first) batches.push(first);
      for (let i = cut; i < whole.length; i += 3) buffer.pushLines(whole.subarray(i, Math.min(whole.length, i + 3)));
      buffer.end();
      for (let b = await buffer.next(); b; b = await buffer.next()) batches.push(b);
      expect(text(batches), `cut at ${cut}`).toBe(expected);
      expect(batches.reduce((n, b) => n + b.count, 0)).toBe(lines.length);
      expect(buffer.rowsNumbered).toBe(lines.length);
    }
  });

  it('pauses its producer past the high-water mark and resumes it when the batch is taken', async () => {
    const calls: string[] = [];
    const buffer = new RowBuffer({ pause: () => calls.push('pause'), resume: () => calls.push('resume') });
    buffer.setFormat('text');
    const line = Buffer.from(`${'x'.repeat(1023)}\n`);
    for (let i = 0; i < 1100; i++) buffer.pushLines(line);
    expect(calls).toEqual(['pause']);
    const batch = await buffer.next();
    expect(batch?.count).toBe(1100);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('refuses lines in the rows format', () => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} });
    buffer.setFormat('rows');
    expect(() => buffer.pushLines(Buffer.from('1\n'))).toThrow(/text format/);
  });
});
