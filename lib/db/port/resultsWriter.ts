import type { Batch, BatchFormat, RowTransform } from './types.js';

/** What a finished load wrote. */
export interface WriterCommit {
  count: number;
  /** Values the results database could not hold, stored as NULL (see `RunTaskResult.warnings`). */
  warnings: string[];
}

/** Loads rows into a new results table that only becomes visible under its final name on `commit`. */
export interface ResultsWriter {
  /** The batch format this writer takes (text for COPY / LOAD DATA, rows for INSERT). */
  readonly format: BatchFormat;
  /** Applied by the source to every row before it is encoded (see `RowTransform`); none when rows go in as they are. */
  readonly transform?: RowTransform;
  /** Writes a batch; resolves once more may be written (backpressure). */
  write(batch: Batch): Promise<void>;
  /**
   * Finishes the load and puts the table in place of any old one. Statements the
   * server can time are given the time left until `deadline` (epoch ms).
   */
  commit(deadline: number): Promise<WriterCommit>;
  /**
   * Resolves with the error once the load can no longer succeed (its connection
   * lost, the server refused it), even while nothing is being written: a source
   * that is silent for minutes must not keep a dead load waiting. Never rejects.
   */
  readonly broken: Promise<unknown>;
  /** Leaves no trace of the new table and releases the connection, even while `commit` runs. Never throws. */
  abort(): Promise<void>;
}
