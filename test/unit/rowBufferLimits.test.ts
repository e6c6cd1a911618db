import { describe, expect, it } from 'vitest';
import { GuardrailExceeded } from '../../lib/db/port/guardrails.js';
import type { Batch } from '../../lib/db/port/types.js';
import { RowBuffer } from '../../lib/db/shared/rowBuffer.js';

const text = (batches: Batch[]) => Buffer.concat(batches.flatMap((b) => (b.format === 'text' ? b.chunks : []))).toString('utf8');

/** Every batch until the buffer rejects; the rejection. */
async function drain(buffer: RowBuffer): Promise<{ batches: Batch[]; error: unknown }> {
  const batches: Batch[] = [];
  for (;;) {
    try {
      const b = await buffer.next();
      if (!b) return { batches, error: undefined };
      batches.push(b);
    } catch (error) {
      return { batches, error };
    }
  }
}

describe('RowBuffer limits', () => {
  it('COPY text lines: hands out exactly max_rows lines, however the chunks split them, then the limit; the producer stays paused', async () => {
    const whole = Buffer.from(['a', 'bb', 'ccc', 'dddd', 'eeeee'].map((l) => `${l}\n`).join(''));
    for (let cut = 0; cut <= whole.length; cut++) {
      const calls: string[] = [];
      const buffer = new RowBuffer({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, { maxRows: 3, keepRows: true });
      buffer.setFormat('text');
      buffer.pushLines(whole.subarray(0, cut));
      buffer.pushLines(whole.subarray(cut));
      buffer.end();
      const { batches, error } = await drain(buffer);
      expect(text(batches), `cut at ${cut}`).toBe('1\ta\n2\tbb\n3\tccc\n');
      expect(error).toBeInstanceOf(GuardrailExceeded);
      expect(error).toMatchObject({ guardrail: 'max_rows', limit: 3 });
      expect(calls).toEqual(['pause']);
    }
  });

  it('values: a failure after the limit (the cancelled query) does not hide it', async () => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} }, { maxRows: 2, keepRows: true });
    buffer.setFormat('rows');
    for (const v of ['1', '2', '3']) buffer.push([v], 1);
    buffer.fail(new Error('canceling statement due to user request'));
    const { batches, error } = await drain(buffer);
    expect(batches.flatMap((b) => (b.format === 'rows' ? b.rows : []))).toEqual([['1'], ['2']]);
    expect(error).toMatchObject({ guardrail: 'max_rows' });
  });

  it('bytes: no row starts once more than max bytes were taken; rows kept before the format is known are counted again', async () => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} }, { maxBytes: 10, keepRows: true });
    // Before setFormat: values, which the bytes limit does not judge yet.
    for (const v of ['aaaa', 'bbbb', 'cccc', 'dddd']) buffer.push([v], 100);
    buffer.setFormat('text');
    buffer.push(['eeee'], 100);
    const { batches, error } = await drain(buffer);
    // "1\taaaa\n" is 7 bytes, "2\tbbbb\n" 14: the third row would start past 10.
    expect(text(batches)).toBe('1\taaaa\n2\tbbbb\n');
    expect(error).toMatchObject({ guardrail: 'max_result_bytes', limit: 10 });
  });

  it('without keepRows (on_limit fail), the limit is answered at once, the rows still buffered dropped', async () => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} }, { maxRows: 2 });
    buffer.setFormat('rows');
    for (const v of ['1', '2', '3']) buffer.push([v], 1);
    const { batches, error } = await drain(buffer);
    expect(batches).toEqual([]);
    expect(error).toMatchObject({ guardrail: 'max_rows', limit: 2 });
  });

  it('no limit reached: the rows and the end as before', async () => {
    const buffer = new RowBuffer({ pause: () => {}, resume: () => {} }, { maxRows: 2, maxBytes: 1_000 });
    buffer.setFormat('text');
    buffer.push(['x'], 1);
    buffer.push(['y'], 1);
    buffer.end();
    const { batches, error } = await drain(buffer);
    expect(text(batches)).toBe('1\tx\n2\ty\n');
    expect(error).toBeUndefined();
  });
});
