import type pg from 'pg';
import { firstStatement } from '../countArgs.js';
import type { RowBuffer } from '../shared/rowBuffer.js';
import { BinaryCopyFramer } from './binaryCopy.js';
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
 * each CopyData message (a row of COPY text, or of binary COPY), and `pause`/`resume` act on the
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
  /** The row count the server reported once the COPY completed, to check against the rows that arrived. */
  readonly rowCount: number;
  /** Whether the rows arrived whole: every line ended (text), the trailer came (binary). */
  readonly complete: boolean;
}

/**
 * Runs the task query as `COPY (query) TO STDOUT` on the client, in its open
 * READ ONLY transaction, and hands the raw bytes to `buffer` row by row
 * (numbered there), never parsed into values: what PostgreSQL's COPY writes, a
 * COPY FROM STDIN of the same column types reads back as the same values. In
 * `binary` format (every column of a type both servers have, see `TypeFacts`)
 * neither server formats or parses a value's text, which halves both sides' work;
 * otherwise COPY text.
 * The arguments are set first with bound `set_config` calls and read back in the
 * query with casts to their described types (see `withArgsFromSettings`);
 * `paramTypes` name each `$n`'s type. `ends` hears how the COPY ended.
 */
export async function startCopyOut(
  client: pg.ClientBase,
  { query, args, paramTypes, binary }: { query: string; args: (string | null)[]; paramTypes: string[]; binary: boolean },
  buffer: RowBuffer,
  ends: QueryEnds,
): Promise<CopyOut> {
  if (args.length > 0) await client.query(setArgsStatement(args.length), args);
  // The newline ends a trailing `--` comment; the semicolon (and anything after it) cannot go inside COPY (...).
  const text = `COPY (${withArgsFromSettings(firstStatement(query, 'postgres'), paramTypes)}\n) TO STDOUT${binary ? ' (FORMAT binary)' : ''}`;
  const framer = binary ? new BinaryCopyFramer() : undefined;
  let malformed = false;
  const onData = (chunk: Buffer) => {
    if (malformed) return;
    try {
      if (framer) framer.push(chunk, buffer);
      else buffer.pushLines(chunk);
    } catch (err) {
      // Thrown inside pg's message handler it would take the process down: fail the rows
      // instead. The COPY itself has not ended, so the reader's abort closes its connection.
      malformed = true;
      buffer.fail(err);
    }
  };
  const copy = new PgCopyOut(text, onData, ends);
  client.query(copy as unknown as pg.Submittable);
  return {
    pause: () => copy.pause(),
    resume: () => copy.resume(),
    get rowCount() {
      return copy.rowCount;
    },
    get complete() {
      return framer ? framer.ended : !buffer.lineOpen;
    },
  };
}
