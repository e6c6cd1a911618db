import { createHash } from 'node:crypto';
import { decodeCursorToken, encodeCursorToken } from '../../cursorToken.js';
import { InvalidRequestError } from '../../errors.js';
import type { ExploreQuery } from './exploreQuery.js';

/**
 * Where the next page of an explore query starts: after `_row` `r` in the
 * query's order (rows), or after `o` groups (aggregates; a results table never
 * changes within a run, so an offset stays true). Bound to table `t`, run `u`
 * and query `q` (a digest of the select, filters and order), and carries the
 * count `c` a page made (-1: none yet), so later pages need not count again.
 */
export interface ExploreCursor {
  r: number;
  o: number;
  t: string;
  u: string;
  q: string;
  c: number;
}

const MAX_CURSOR_CHARS = 512;

/** A digest of what decides an explore query's rows and their order (not its page size or format). */
export function queryDigest(query: ExploreQuery): string {
  const { select, filters, order } = query;
  return createHash('sha256')
    .update(JSON.stringify({ select: select ?? null, filters, order: order ?? null }))
    .digest('base64url')
    .slice(0, 22);
}

export function encodeExploreCursor(c: ExploreCursor): string {
  return encodeCursorToken({ r: c.r, o: c.o, t: c.t, u: c.u, q: c.q, c: c.c });
}

/**
 * The cursor's fields; a cursor of a plain page (no `q`) comes back with `q`
 * empty, so it is refused as belonging to another query.
 * @throws InvalidRequestError when `text` is not a cursor this API made.
 */
export function decodeExploreCursor(text: string): ExploreCursor {
  const bad = () => new InvalidRequestError('cursor: not a cursor of this API; pass the next_cursor of the previous page unchanged, or omit it to start at the first row');
  const c = decodeCursorToken(text, MAX_CURSOR_CHARS);
  if (!c) throw bad();
  const count = (v: unknown) => (v === undefined ? 0 : Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : NaN);
  const out = { r: count(c.r), o: count(c.o), c: c.c === -1 ? -1 : count(c.c), t: c.t, u: c.u, q: c.q ?? '' };
  if ([out.r, out.o, out.c].some(Number.isNaN) || typeof out.t !== 'string' || typeof out.u !== 'string' || typeof out.q !== 'string') throw bad();
  return out as ExploreCursor;
}
