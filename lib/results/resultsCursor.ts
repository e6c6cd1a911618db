import { InvalidRequestError } from '../errors.js';

/**
 * Where the next page of a job's results starts: after `_row` number `r` of
 * table `t`, written by run `u` of the job. Opaque to clients (base64url JSON);
 * the table and run let a cursor be refused when it belongs to another job or
 * to an earlier run of a reused job ID.
 */
export interface ResultsCursor {
  r: number;
  t: string;
  u: string;
}

/** Longer than any cursor this API hands out. */
const MAX_CURSOR_CHARS = 512;

export function encodeCursor(cursor: ResultsCursor): string {
  return Buffer.from(JSON.stringify({ r: cursor.r, t: cursor.t, u: cursor.u })).toString('base64url');
}

/** @throws InvalidRequestError when `text` is not a cursor this API made. */
export function decodeCursor(text: string): ResultsCursor {
  const bad = () => new InvalidRequestError('cursor: not a cursor of this API; pass the next_cursor of the previous page unchanged, or omit it to start at the first row');
  if (text.length === 0 || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const c = value as Partial<ResultsCursor> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    !Number.isSafeInteger(c.r) ||
    (c.r as number) < 0 ||
    typeof c.t !== 'string' ||
    typeof c.u !== 'string' ||
    Object.keys(c).length !== 3
  ) {
    throw bad();
  }
  return { r: c.r as number, t: c.t, u: c.u };
}
