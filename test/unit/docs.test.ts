/**
 * The manual holds together: the README stays a five-minute start (at most 250
 * lines), every page of docs/ is linked from it, every relative link and anchor of
 * the README and docs/ leads somewhere, and every shell block of docs/ either runs
 * against the local stack after the quick tour (test/e2e/readmeTour.test.ts) or says
 * on its first line what it needs instead (`# needs AWS`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCS_DIR, NEEDS, ROOT, RUN_ORDER, docsPages, docsShellBlocks } from '../support/docsBlocks.js';

const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');

/** The anchors of a markdown file's headings (outside code blocks). */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fence = !fence;
    else if (!fence && /^#{1,6} /.test(line)) found.add(slug(line.replace(/^#+ /, '')));
  }
  return found;
}

/** Every relative link of a markdown file (outside code blocks), as written. */
function links(markdown: string): string[] {
  let fence = false;
  return markdown.split('\n').flatMap((line) => {
    if (/^\s*```/.test(line)) {
      fence = !fence;
      return [];
    }
    if (fence) return [];
    return [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
  });
}

describe('the README', () => {
  it('is at most 250 lines', () => {
    expect(README.trimEnd().split('\n').length).toBeLessThanOrEqual(250);
  });

  it('links every page of docs/', () => {
    for (const page of docsPages()) expect(README, page).toContain(`(docs/${page})`);
  });
});

describe('links', () => {
  const files = ['README.md', ...docsPages().map((p) => `docs/${p}`)];
  it.each(files)('%s: every relative link and anchor leads somewhere', (file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const broken = links(text).filter((target) => {
      const [rel, anchor] = target.split('#') as [string, string | undefined];
      const to = rel === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), rel);
      if (!existsSync(to)) return true;
      return anchor !== undefined && to.endsWith('.md') && !anchors(readFileSync(to, 'utf8')).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});

describe('the shell blocks of docs/', () => {
  const blocks = docsShellBlocks();

  it('are found', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
    expect(blocks.filter((b) => !b.needs).length).toBeGreaterThanOrEqual(5);
  });

  it('each runs against the local stack, or says what it needs instead on its first line', () => {
    for (const b of blocks.filter((x) => x.needs)) expect(NEEDS, `${b.file}:${b.line}: # needs ${b.needs}`).toContain(b.needs);
    // A command that needs AWS is marked as such, never run against the local stack.
    const unmarked = blocks.filter((b) => !b.needs && /\b(aws |serverless (deploy|remove|info)|--aws-sigv4|execute-api)/.test(b.text));
    expect(unmarked.map((b) => `${b.file}:${b.line}`)).toEqual([]);
  });

  it('that run paste no cursor: each takes it from the answer before', () => {
    for (const b of blocks.filter((x) => !x.needs)) {
      const commands = b.text.split('\n').filter((l) => !l.startsWith('#'));
      expect(commands.join('\n'), `${b.file}:${b.line}`).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}/);
    }
  });

  it('that run are on pages the tour test runs, in its order', () => {
    const pages = [...new Set(blocks.filter((b) => !b.needs).map((b) => b.file))];
    expect(pages.filter((p) => !RUN_ORDER.includes(p))).toEqual([]);
    for (const page of RUN_ORDER) expect(existsSync(path.join(DOCS_DIR, page)), page).toBe(true);
  });
});
