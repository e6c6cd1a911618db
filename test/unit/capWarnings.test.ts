/** The cap on a job's recorded warnings: what a record keeps of many or long lines. */
import { describe, expect, it } from 'vitest';
import { capWarnings } from '../../lib/jobs/capWarnings.js';
import { MAX_WARNING_CHARS, MAX_WARNINGS } from '../../lib/limits.js';

describe('capWarnings', () => {
  it('keeps a short list as it is', () => {
    expect(capWarnings([])).toEqual([]);
    expect(capWarnings(['a', 'b'])).toEqual(['a', 'b']);
    const full = Array.from({ length: MAX_WARNINGS }, (_, i) => `w${i}`);
    expect(capWarnings(full)).toEqual(full);
  });

  it('past the limit keeps the first lines and says how many more there were', () => {
    const many = Array.from({ length: MAX_WARNINGS + 7 }, (_, i) => `w${i}`);
    const kept = capWarnings(many);
    expect(kept).toHaveLength(MAX_WARNINGS);
    expect(kept.slice(0, -1)).toEqual(many.slice(0, MAX_WARNINGS - 1));
    expect(kept.at(-1)).toBe('… and 8 more warning(s)');
  });

  it('cuts a long line to the limit in characters, never inside a surrogate pair', () => {
    const [cut] = capWarnings(['x'.repeat(MAX_WARNING_CHARS + 1)]);
    expect([...cut!]).toHaveLength(MAX_WARNING_CHARS);
    expect(cut!.endsWith('x…')).toBe(true);
    const [emoji] = capWarnings(['🙂'.repeat(MAX_WARNING_CHARS * 2)]);
    expect([...emoji!]).toHaveLength(MAX_WARNING_CHARS);
    expect(emoji).toBe(`${'🙂'.repeat(MAX_WARNING_CHARS - 1)}…`);
    expect(capWarnings(['y'.repeat(MAX_WARNING_CHARS)])).toEqual(['y'.repeat(MAX_WARNING_CHARS)]);
  });
});
