/**
 * The shell blocks of the manual (`docs/*.md`), as the docs test runs them: each
 * ```sh block, dedented, with where it is and what it needs when it cannot run
 * against the local stack. Such a block says so on its first line, a comment
 * `# needs WHAT` (`# needs AWS`); every other block runs, after the README's
 * quick tour, against the same `npm start` (test/e2e/readmeTour.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DOCS_DIR = path.join(ROOT, 'docs');

/** What a block may need instead of the local stack (the words after `# needs `). */
export const NEEDS = ['AWS', 'your own databases', 'dungbeetle'] as const;

/**
 * The pages whose blocks run, in the order they run: after the tour's purge the
 * test schedules the group `monthly` and then `orders-42` again; the HTTP API page
 * waits on them and lists them as the newest jobs, the results page reads
 * `orders-42` (and adds a job), the explore page adds and reads `explore-42`, and
 * the groups page ends by purging `monthly`; the schedules page makes, pauses and deletes
 * `daily-orders`; the layout page runs the import-graph rules.
 */
export const RUN_ORDER = ['http-api.md', 'results.md', 'explore.md', 'groups.md', 'schedules.md', 'migration.md', 'layout.md'];

export interface ShellBlock {
  /** The page's file name (`results.md`). */
  file: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  /** The block's text without its fences and indentation. */
  text: string;
  /** What it needs instead of the local stack (`AWS`), from its first line; undefined when it runs. */
  needs?: string;
}

export function docsPages(): string[] {
  return readdirSync(DOCS_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort();
}

/** Every ```sh block of one markdown text. */
export function shellBlocks(markdown: string, file: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    let end = i + 1;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end]!)) end++;
    if (open[2] === 'sh') {
      const text = lines
        .slice(i + 1, end)
        .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
        .join('\n');
      const needs = /^# needs (.+?)(?:\s*\(.*\))?\s*$/.exec(text.split('\n')[0] ?? '')?.[1];
      blocks.push({ file, line: i + 1, text, ...(needs ? { needs } : {}) });
    }
    i = end;
  }
  return blocks;
}

/** Every ```sh block of every page of docs/. */
export function docsShellBlocks(): ShellBlock[] {
  return docsPages().flatMap((file) => shellBlocks(readFileSync(path.join(DOCS_DIR, file), 'utf8'), file));
}
