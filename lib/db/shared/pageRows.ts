import type { PageRowVisitor, ResultsColumn, ResultsRow } from '../port/resultsPage.js';

/** Turns the server's rows (`_row` first, every value its text) into canonical results rows. */
export async function* pageRows(raw: AsyncGenerator<(string | null)[]>, columns: ResultsColumn[]): AsyncGenerator<ResultsRow, void, undefined> {
  const canonical = canonicalizer(columns, 0);
  for await (const fields of raw) {
    const values = fields.slice(1);
    canonical(values);
    yield { row: Number(fields[0]), values };
  }
}

/**
 * `visit` fed with the server's rows as they are (`_row` first, every value its
 * text): each row made canonical in place, its `_row` read as a number.
 */
export function visitPageRows(columns: ResultsColumn[], visit: PageRowVisitor): (fields: (string | null)[]) => boolean {
  const canonical = canonicalizer(columns, 1);
  return (fields) => {
    canonical(fields);
    return visit(Number(fields[0]), fields);
  };
}

/** Makes BOOLEAN `1`/`0`, and TIMESTAMP and TIME without trailing fractional zeros, on both servers; values from index `from`. */
function canonicalizer(columns: ResultsColumn[], from: number): (values: (string | null)[]) => void {
  const bools: number[] = [];
  const times: number[] = [];
  columns.forEach((c, i) => {
    if (c.type === 'BOOLEAN') bools.push(i + from);
    else if (c.type === 'TIMESTAMP' || c.type === 'TIME') times.push(i + from);
  });
  if (bools.length === 0 && times.length === 0) return () => undefined;
  return (values) => {
    for (const i of bools) {
      const v = values[i];
      if (v === 't' || v === 'true') values[i] = '1';
      else if (v === 'f' || v === 'false') values[i] = '0';
    }
    for (const i of times) {
      const v = values[i];
      // Most values end in a non-zero digit: no search needed.
      if (v != null && v.charCodeAt(v.length - 1) === 0x30 && v.includes('.')) values[i] = v.replace(/\.?0+$/, '');
    }
  };
}
