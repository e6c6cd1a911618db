import { decodeCursorToken, encodeCursorToken } from '../cursorToken.js';
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
  return encodeCursorToken({ r: cursor.r, t: cursor.t, u: cursor.u });
}

/** @throws InvalidRequestError when `text` is not a cursor this API made. */
export function decodeCursor(text: string): ResultsCursor {
  const c = decodeCursorToken(text, MAX_CURSOR_CHARS);
  if (!c || !Number.isSafeInteger(c.r) || (c.r as number) < 0 || typeof c.t !== 'string' || typeof c.u !== 'string' || Object.keys(c).length !== 3) {
    throw new InvalidRequestError('cursor: not a cursor of this API; pass the next_cursor of the previous page unchanged, or omit it to start at the first row');
  }
  return { r: c.r as number, t: c.t, u: c.u };
}
