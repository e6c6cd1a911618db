import type pg from 'pg';
import { firstStatement } from '../../tasks/countArgs.js';
import type { RowBuffer } from '../rowBuffer.js';
import { setArgsStatement, withArgsFromSettings } from './settingArgs.js';
import { type QueryEnds, StreamingQuery } from './streamingQuery.js';

/** Statements `COPY (...) TO STDOUT` takes, by their first keyword. */
const COPYABLE = new Set(['select', 'with', 'values', 'table']);

/**
 * Whether a query can run as `COPY (query) TO STDOUT`: a SELECT, WITH, VALUES
 * or TABLE statement (SHOW or EXPLAIN cannot), lexed as our placeholder scanner
 * lexes it (`standard_conforming_strings` on, as it is by default: with it off a
 * backslash escapes a quote in '...', and the scanner would misplace `$n`).
 */
export function copyable(query: string, standardStrings: boolean): boolean {
  return standardStrings && COPYABLE.has(firstKeyword(query));
}

/** The first word of a query after whitespace, comments and opening parentheses, lowercased. */
function firstKeyword(query: string): string {
  let i = 0;
  for (;;) {
    while (i < query.length && (/\s/.test(query[i]!) || query[i] === '(')) i++;
    if (query.startsWith('--', i)) {
      const nl = query.indexOf('\n', i);
      i = nl < 0 ? query.length : nl + 1;
    } else if (query.startsWith('/*', i)) {
      let depth = 0;
      do {
        if (query.startsWith('/*', i)) (depth++, (i += 2));
        else if (query.startsWith('*/', i)) (depth--, (i += 2));
        else i++;
      } while (depth > 0 && i < query.length);
    } else {
      break;
    }
  }
  return /^[A-Za-z]+/.exec(query.slice(i, i + 16))?.[0].toLowerCase() ?? '';
}

/** The parts of pg's (internal) Connection the COPY drives. */
interface PgConnection {
  stream: NodeJS.ReadableStream;
  query(text: string): void;
}

/**
 * `COPY (...) TO STDOUT` as a Submittable: pg's own protocol parser hands over
 * each CopyData message (one row of COPY text), and `pause`/`resume` act on the
 * socket for backpressure, as for a row query. The server's row count comes
 * with CommandComplete.
 */
class PgCopyOut extends StreamingQuery<PgConnection> {
  rowCount = -1;

  constructor(
    readonly text: string,
    private readonly onData: (chunk: Buffer) => void,
    ends: QueryEnds,
  ) {
    super(ends);
  }

  submit(connection: PgConnection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  override handleCopyData(msg: { chunk: Buffer }): void {
    this.onData(msg.chunk);
  }

  override handleCommandComplete(msg: { text?: string }): void {
    const match = /^COPY (\d+)$/.exec(msg.text ?? '');
    if (match) this.rowCount = Number(match[1]);
  }
}

/** A COPY TO STDOUT running on a source connection. */
export interface CopyOut {
  pause(): void;
  resume(): void;
  /** The row count the server reported once the COPY completed, to check against the lines that arrived. */
  readonly rowCount: number;
}

/**
 * Runs the task query as `COPY (query) TO STDOUT` on the client, in its open
 * READ ONLY transaction, and hands the raw text to `buffer` line by line
 * (numbered there), never parsed into values: PostgreSQL's COPY text out is
 * what a COPY FROM STDIN of the same column types reads back as the same values.
 * The arguments are set first with bound `set_config` calls and read back in the
 * query with casts to their described types (see `withArgsFromSettings`);
 * `paramTypes` name each `$n`'s type. `ends` hears how the COPY ended.
 */
export async function startCopyOut(
  client: pg.ClientBase,
  query: string,
  args: string[],
  paramTypes: string[],
  buffer: RowBuffer,
  ends: QueryEnds,
): Promise<CopyOut> {
  if (args.length > 0) await client.query(setArgsStatement(args.length), args);
  // The newline ends a trailing `--` comment; the semicolon (and anything after it) cannot go inside COPY (...).
  const text = `COPY (${withArgsFromSettings(firstStatement(query, 'postgres'), paramTypes)}\n) TO STDOUT`;
  const copy = new PgCopyOut(text, (chunk) => buffer.pushLines(chunk), ends);
  client.query(copy as unknown as pg.Submittable);
  return copy;
}
