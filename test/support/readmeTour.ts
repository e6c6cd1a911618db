/**
 * The README's quick tour as data: its steps (commands and the answers shown after
 * them), and a matcher of a shown answer against a real one.
 *
 * A step is a paragraph of the tour's code block: comment lines that say what it
 * does, the command lines, then the shown answer as comment lines. An answer may
 * start with `HTTP nnn` (default 200). A JSON answer uses `...` for what varies or is
 * left out: `"..."` any value, `"abc..."` a string starting with abc, `[...]` any
 * array, `, ...]` more elements, `, ...}` / `,...}` more fields; fields not shown are
 * allowed anyway, so answers may grow. Any other answer is lines that must appear in
 * the output (`abc...`: a line starting with abc).
 */
export interface TourStep {
  /** What the step's leading comment says. */
  title: string;
  /** The shell commands, as written. */
  commands: string;
  /** The shown answer, without its `# ` prefixes; undefined when none is shown. */
  answer?: string;
}

export function tourSteps(readme: string, heading = '## Quick tour'): TourStep[] {
  const start = readme.indexOf(heading);
  if (start < 0) throw new Error(`no "${heading}" section in the README`);
  const open = readme.indexOf('```sh\n', start);
  const close = readme.indexOf('\n```', open + 6);
  return blockSteps(readme.slice(open + 6, close));
}

/** The steps of one shell block (its text without the fences), as the tour reads them. */
export function blockSteps(block: string): TourStep[] {
  return block
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.split('\n'))
    .filter((lines) => lines.some((l) => l.trim() !== ''))
    .map((lines) => {
      let i = 0;
      const title: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('#'); i++) title.push(lines[i]!.replace(/^#\s?/, ''));
      const commands: string[] = [];
      for (; i < lines.length && !lines[i]!.startsWith('#'); i++) commands.push(lines[i]!);
      const answer = lines.slice(i).map((l) => l.replace(/^#\s?/, ''));
      return { title: title.join(' '), commands: commands.join('\n'), ...(answer.length > 0 ? { answer: answer.join('\n') } : {}) };
    });
}

const ANY = '\u0000any';
const MORE = '\u0000more';
const PREFIX = '\u0000prefix:';

/** The HTTP status a shown answer names (200 when it names none) and the answer itself. */
export function shownAnswer(answer: string): { status: number; body: string } {
  const m = /^HTTP (\d{3})\s+/.exec(answer);
  return m ? { status: Number(m[1]), body: answer.slice(m[0].length) } : { status: 200, body: answer };
}

/** Every way `actual` (a command's output) differs from the shown answer `body`; empty when it matches. */
export function answerMismatches(body: string, actual: string): string[] {
  const text = body.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    let shown: unknown;
    try {
      shown = JSON.parse(
        text
          .replace(/\n\s*/g, '')
          .replace(/"\.\.\."/g, JSON.stringify(ANY))
          .replace(/"([^"\\]*)\.\.\."/g, (_, p: string) => JSON.stringify(PREFIX + p))
          .replace(/\[\s*\.\.\.\s*\]/g, `[${JSON.stringify(MORE)}]`)
          .replace(/,\s*\.\.\.\s*\]/g, `,${JSON.stringify(MORE)}]`)
          .replace(/\{\s*\.\.\.\s*\}/g, '{}')
          .replace(/,\s*\.\.\.\s*\}/g, '}'),
      );
    } catch (err) {
      return [`the README's answer is not readable JSON: ${(err as Error).message}`];
    }
    let got: unknown;
    try {
      got = JSON.parse(actual);
    } catch {
      return [`the answer is not JSON: ${actual.slice(0, 200)}`];
    }
    return compare(shown, got, '');
  }
  const lines = actual.split('\n').map((l) => l.replace(/\r$/, ''));
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .filter((l) => !lines.some((got) => (l.endsWith('...') ? got.startsWith(l.slice(0, -3)) : got === l)))
    .map((l) => `no line ${JSON.stringify(l)} in the output`);
}

function compare(shown: unknown, got: unknown, path: string): string[] {
  const at = path || '(answer)';
  if (shown === ANY) return [];
  if (typeof shown === 'string' && shown.startsWith(PREFIX)) {
    const prefix = shown.slice(PREFIX.length);
    return typeof got === 'string' && got.startsWith(prefix) ? [] : [`${at}: expected a string starting with ${JSON.stringify(prefix)}, got ${JSON.stringify(got)}`];
  }
  if (Array.isArray(shown)) {
    if (!Array.isArray(got)) return [`${at}: expected an array, got ${JSON.stringify(got)}`];
    const open = shown.at(-1) === MORE;
    const items = open ? shown.slice(0, -1) : shown;
    if (open ? got.length < items.length : got.length !== items.length) {
      return [`${at}: expected ${open ? 'at least ' : ''}${items.length} element(s), got ${got.length}`];
    }
    return items.flatMap((item, i) => compare(item, got[i], `${path}[${i}]`));
  }
  if (typeof shown === 'object' && shown !== null) {
    if (typeof got !== 'object' || got === null || Array.isArray(got)) return [`${at}: expected an object, got ${JSON.stringify(got)}`];
    return Object.entries(shown).flatMap(([key, value]) =>
      Object.hasOwn(got, key) ? compare(value, (got as Record<string, unknown>)[key], path ? `${path}.${key}` : key) : [`${path ? `${path}.` : ''}${key}: missing`],
    );
  }
  return Object.is(shown, got) ? [] : [`${at}: expected ${JSON.stringify(shown)}, got ${JSON.stringify(got)}`];
}
