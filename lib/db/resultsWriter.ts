import type { Batch, BatchFormat } from './rowBuffer.js';

/** Loads rows into a new results table that only becomes visible under its final name on `commit`. */
export interface ResultsWriter {
  /** The batch format this writer takes (text for COPY / LOAD DATA, rows for INSERT). */
  readonly format: BatchFormat;
  /** Writes a batch; resolves once more may be written (backpressure). */
  write(batch: Batch): Promise<void>;
  /** Finishes the load and puts the table in place of any old one; returns the row count. */
  commit(): Promise<number>;
  /** Leaves no trace of the new table and releases the connection. Never throws. */
  abort(): Promise<void>;
}
