import { ConfigError } from '../errors.js';
import type { ParamLine } from './params/parseParam.js';

/** A query read from a task file, before it is checked against the config. */
export interface ParsedTask {
  name: string;
  /** The SQL body: leading/trailing comment lines and a final `;` removed. */
  query: string;
  /** The `-- key: value` lines after `-- name:`, as written (without `name` and `param`). */
  tags: Record<string, string>;
  /** The `-- param:` lines (typed parameters, lib/tasks/params), in order. */
  params: ParamLine[];
  file: string;
  /** 1-based line of the `-- name:` line. */
  line: number;
  /** 1-based line of the query's first line. */
  queryLine: number;
}

const NAME_LINE = /^\s*--\s*name\s*:(.*)$/;
// Keys are lower-case so prose such as "-- Note: slow on Mondays" stays a comment.
const TAG_LINE = /^\s*--\s*([a-z][a-z0-9_.-]*)\s*:(.*)$/;
const COMMENT_LINE = /^\s*--/;
const TASK_NAME = /^[A-Za-z0-9_.:-]+$/;
/** Tags this product reads: an empty value is a mistake, not a note. */
const VALUED_TAGS = new Set(['db', 'results', 'queue', 'raw', 'timeout', 'conc', 'concurrency', 'index', 'export', 'max_rows', 'max_result_bytes', 'max_cost', 'on_limit', 'orphan_after']);

/**
 * Parses a goyesql task file: `-- name: x` starts a query, the `-- key: value`
 * lines before its first SQL line are its tags, and its body runs to the next
 * `-- name:`. Tolerates what goyesql does (`--name:x`, extra spaces, CRLF).
 *
 * @throws ConfigError listing every problem in the file, each as `file:line: message`.
 */
export function parseTaskFile(text: string, file: string): ParsedTask[] {
  const { tasks, problems } = scanTaskFile(text, file);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return tasks;
}

/** Like {@link parseTaskFile}, but returns the problems with the tasks that parsed cleanly. */
export function scanTaskFile(text: string, file: string): { tasks: ParsedTask[]; problems: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: string[] = [];
  const tasks: ParsedTask[] = [];
  const firstLine = new Map<string, number>();
  const problem = (line: number, message: string) => problems.push(`${file}:${line}: ${message}`);

  let i = 0;
  for (; i < lines.length && !NAME_LINE.test(lines[i]!); i++) {
    if (!isBlankOrComment(lines[i]!)) {
      problem(i + 1, 'SQL before the first "-- name:" line; start each query with "-- name: <task name>"');
      while (i + 1 < lines.length && !NAME_LINE.test(lines[i + 1]!)) i++;
    }
  }

  while (i < lines.length) {
    const line = i + 1;
    const name = NAME_LINE.exec(lines[i]!)![1]!.trim();
    i++;
    const tags: Record<string, string> = {};
    const params: ParamLine[] = [];
    const tagLines = new Map<string, number>();
    let ok = true;
    const fail = (at: number, message: string) => {
      problem(at, message);
      ok = false;
    };

    if (name === '') fail(line, '"-- name:" needs a task name');
    else if (!TASK_NAME.test(name)) fail(line, `invalid task name "${name}": use letters, digits and _ . : -`);
    else if (firstLine.has(name)) fail(line, `duplicate task name "${name}" (first defined at line ${firstLine.get(name)})`);
    else firstLine.set(name, line);

    // goyesql skips blank and comment lines, so tags may follow them until the SQL starts.
    for (; i < lines.length && isBlankOrComment(lines[i]!) && !NAME_LINE.test(lines[i]!); i++) {
      const tag = TAG_LINE.exec(lines[i]!);
      if (!tag) continue;
      const key = tag[1]!;
      const value = tag[2]!.trim();
      if (key === 'param') {
        params.push({ text: value, line: i + 1 });
        continue;
      }
      const seen = tagLines.get(key);
      if (seen !== undefined) fail(i + 1, `duplicate tag "${key}" (already set at line ${seen})`);
      else if (value === '' && VALUED_TAGS.has(key)) fail(i + 1, `tag "${key}" needs a value`);
      tagLines.set(key, i + 1);
      tags[key] = value;
    }

    const body: string[] = [];
    const bodyLine = i + 1;
    for (; i < lines.length && !NAME_LINE.test(lines[i]!); i++) body.push(lines[i]!);
    const query = trimQuery(body);
    if (query === '') fail(line, `task "${name}" has no SQL after its "-- name:" line`);
    const queryLine = bodyLine + Math.max(0, body.findIndex((l) => !isBlankOrComment(l)));

    if (ok) tasks.push({ name, query, tags, params, file, line, queryLine });
  }
  return { tasks, problems };
}

function isBlankOrComment(line: string): boolean {
  return line.trim() === '' || COMMENT_LINE.test(line);
}

/** Drops the comment lines around the SQL and a final `;`, so callers may wrap the query. */
function trimQuery(body: string[]): string {
  let start = 0;
  let end = body.length;
  while (start < end && isBlankOrComment(body[start]!)) start++;
  while (end > start && isBlankOrComment(body[end - 1]!)) end--;
  return body.slice(start, end).join('\n').trim().replace(/\s*;+$/, '');
}
