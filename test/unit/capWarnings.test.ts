/** The cap on a job's recorded warnings: what a record keeps of many or long lines. */
import { describe, expect, it } from 'vitest';
import { capError, capWarnings } from '../../lib/jobs/capWarnings.js';
import { JOB_TRANSITIONS, transitionExpressions } from '../../lib/jobs/jobTransitions.js';
import { MAX_ERROR_CHARS, MAX_WARNING_CHARS, MAX_WARNINGS } from '../../lib/limits.js';

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

describe('capError', () => {
  it("cuts a job's error to MAX_ERROR_CHARS characters, as a warning line, and every transition that records one applies it", () => {
    expect(capError('short')).toBe('short');
    const long = 'e'.repeat(MAX_ERROR_CHARS * 3);
    expect([...capError(long)]).toHaveLength(MAX_ERROR_CHARS);
    expect(capError(long).endsWith('e…')).toBe(true);
    const e = transitionExpressions(JOB_TRANSITIONS.fail, { ':run': 'r', ':a': 1, ':error': long, ':exp': 1 });
    expect(e.values[':error']).toBe(capError(long));
  });
});
