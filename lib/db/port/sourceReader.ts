import type { DbType } from '../../config/types.js';
import type { Batch, BatchFormat, Column, RowTransform, RunningQuery } from './types.js';

/** A task query running on its source, its rows ready to be pulled. */
export interface SourceReader {
  readonly columns: Column[];
  readonly running: RunningQuery;
  /**
   * Bulk formats of the source's own engine this query can also produce, byte for
   * byte, for a results database of that engine (`pg-binary`); a writer that takes
   * one says so in its `format`.
   */
  readonly directFormats: readonly BatchFormat[];
  /**
   * Says how the writer takes rows, on which engine it writes (a source may hand
   * its own engine's bulk text straight over) and how it changes each row first
   * (see `RowTransform`); must be called once, before `next`.
   */
  setFormat(format: BatchFormat, target: DbType, transform?: RowTransform): void;
  /** The next rows in source order; undefined once all were read. Rejects with the database's error. */
  next(): Promise<Batch | undefined>;
  /** After the last row: ends the READ ONLY transaction and returns the connection. */
  finish(): Promise<void>;
  /** After a failure anywhere: stops the query if it still runs and releases the connection. Never throws. */
  abort(): Promise<void>;
}
