import type { Column, Row } from './types.js';

/**
 * Where a run's rows go besides (or instead of) the results table: an export
 * (lib/export). It receives every row in source order as the results reader would
 * give it back (see `ColumnType`: ARRAY as JSON text, TIMESTAMP and TIME without
 * trailing fraction zeros), before any writer's change. A sink keeps no row array
 * past `write` (the writer may change it afterwards); it may keep the values.
 */
export interface RowSink {
  /** Takes the next rows; resolves once more may be written (backpressure). */
  write(rows: readonly Row[]): Promise<void>;
  /** After the last row (before the results table is swapped in): completes what was written. */
  finish(): Promise<RowSinkResult>;
  /** After a failure anywhere: leaves nothing half-written behind. Never throws. */
  abort(): Promise<void>;
}

/** What a sink says when it is done. */
export interface RowSinkResult {
  rows: number;
  /** Values the sink's format could not hold, written as NULL instead: one line per column and reason, with a count. */
  warnings: string[];
}

/** Opens a sink once the columns are known. */
export type OpenRowSink = (columns: readonly Column[]) => Promise<RowSink>;
