import type { Row } from './rowBuffer.js';

/** Loads rows into a new results table that only becomes visible under its final name on `commit`. */
export interface ResultsWriter {
  /** Writes rows (numbering them `_row`); resolves once more may be written (backpressure). */
  write(rows: Row[]): Promise<void>;
  /** Finishes the load and puts the table in place of any old one; returns the row count. */
  commit(): Promise<number>;
  /** Leaves no trace of the new table and releases the connection. Never throws. */
  abort(): Promise<void>;
}
