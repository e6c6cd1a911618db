import type { ResultsColumn } from '../db/port/resultsPage.js';
import { RowTooLargeError } from '../errors.js';
import { csvHeader, csvRowEncoder, jsonRowEncoder } from './resultsEncoding.js';

export type ResultsFormat = 'json' | 'csv';

/**
 * A page ends once its rows would pass this many bytes. Counted as the Lambda
 * response will carry them (the body is a JSON string there, so quotes and
 * backslashes count twice), which keeps an answer under Lambda's 6 MB.
 */
export const PAGE_BYTES = 5 * 1024 * 1024;
/** A single row may use the whole answer, less room for the envelope and headers. */
const ROW_BYTES_MAX = 6 * 1024 * 1024 - 64 * 1024;
/**
 * The most one UTF-16 unit of encoded text can cost in the Lambda response. A
 * CSV field may hold a raw control character, which becomes `\u0001` there: 6.
 * JSON text holds none but the whitespace a JSON value may carry (`\n`: 2), so
 * its dearest units are those of a BMP character of 3 UTF-8 bytes (text outside
 * the BMP costs 4 bytes per 2 units; `"` and `\` cost 2).
 */
const MAX_BYTES_PER_UNIT: Record<ResultsFormat, number> = { csv: 6, json: 3 };

/** What one encoded piece costs inside the Lambda response (a JSON string literal, quotes excluded). */
export const payloadBytes = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

/**
 * A results page's body as its rows are encoded one by one (JSON rows, or CSV
 * records after the header), up to `limit` rows or about PAGE_BYTES. Sizes are
 * counted exactly only when an upper bound (MAX_BYTES_PER_UNIT per unit of
 * text) could pass a cap: the page ends on the same row as if every row had
 * been measured, and pages far below the cap measure nothing.
 */
export class PageBody {
  readonly #parts: string[] = [];
  readonly #encode: (fields: readonly (string | null)[]) => string;
  readonly #maxPerUnit: number;
  /** Exact payload bytes of the header and of the rows before `#unmeasuredFrom`. */
  #bytes = 0;
  /** Rows in `#parts` from here on are not measured yet; `#unmeasuredUnits` is their text's length, separators included. */
  #unmeasuredFrom = 0;
  #unmeasuredUnits = 0;
  /** Rows taken, the `_row` of the last one, and whether rows follow the page. */
  taken = 0;
  lastRow: number;
  more = false;

  constructor(
    private readonly jobId: string,
    readonly format: ResultsFormat,
    columns: readonly ResultsColumn[],
    private readonly limit: number,
    firstRow: number,
    /** Where a row's values start in the arrays `add` is given. */
    from: number,
  ) {
    this.lastRow = firstRow;
    this.#maxPerUnit = MAX_BYTES_PER_UNIT[format];
    if (format === 'csv') {
      const header = csvHeader(columns);
      this.#parts.push(header);
      this.#bytes += payloadBytes(header);
      this.#unmeasuredFrom = 1;
      this.#encode = csvRowEncoder(columns, from);
    } else {
      this.#bytes += payloadBytes(JSON.stringify(columns));
      this.#encode = jsonRowEncoder(columns, from);
    }
  }

  /**
   * Takes row `row`; false once the page is full (this row and those after it
   * belong to the next page). The one row past `limit` marks that more follow.
   *
   * @throws RowTooLargeError when a single row would not fit in any answer
   */
  add(row: number, fields: readonly (string | null)[]): boolean {
    if (this.taken === this.limit) {
      this.more = true; // the one extra row asked for: it ends the query
      return true;
    }
    const text = this.#encode(fields);
    const units = text.length + 1; // + the separator (JSON) or its room
    if ((this.#unmeasuredUnits + units) * this.#maxPerUnit + this.#bytes > PAGE_BYTES || units * this.#maxPerUnit > ROW_BYTES_MAX) {
      this.#measure();
      const size = payloadBytes(text) + 1;
      if (this.taken > 0 && this.#bytes + size > PAGE_BYTES) {
        this.more = true;
        return false;
      }
      if (size > ROW_BYTES_MAX) throw new RowTooLargeError(this.jobId, row, size);
      this.#parts.push(text);
      this.#bytes += size;
      this.#unmeasuredFrom = this.#parts.length;
    } else {
      this.#parts.push(text);
      this.#unmeasuredUnits += units;
    }
    this.taken++;
    this.lastRow = row;
    return true;
  }

  /** Counts the rows not measured yet, exactly: each row's payload bytes and one for its separator. */
  #measure(): void {
    const rows = this.#parts.length - this.#unmeasuredFrom;
    if (rows > 0) this.#bytes += payloadBytes(this.#parts.slice(this.#unmeasuredFrom).join('')) + rows;
    this.#unmeasuredFrom = this.#parts.length;
    this.#unmeasuredUnits = 0;
  }

  /** JSON: the rows as a JSON array text. CSV: the document, header record first. */
  text(): string {
    return this.format === 'csv' ? this.#parts.join('') : `[${this.#parts.join(',')}]`;
  }
}
