import type { ResultsWriter } from '../port/resultsWriter.js';
import type { RowSink } from '../port/rowSink.js';
import type { Batch, Column, Row } from '../port/types.js';
import { EncodedChunks } from './encodedChunks.js';
import { encodeRow } from './encodeRows.js';
import { readBackRow } from './readBackRow.js';

/** UTF-8 needs at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/**
 * Hands each batch of values to a sink (an export) and, when the run also writes a
 * results table, to its writer in the writer's format: values as they are, or
 * encoded as COPY / LOAD DATA text with `_row` numbers continuing across batches.
 * The sink sees every row as the results reader would give it back (see
 * `readBackRow`), before the writer's change to it; both writes proceed together,
 * and the next batch waits for both (backpressure from either side).
 */
export function teeRows(columns: readonly Column[], sink: RowSink, writer?: ResultsWriter): (batch: Batch) => Promise<void> {
  const readBack = readBackRow(columns);
  const transform = writer?.transform;
  const encoded = new EncodedChunks();
  let rowNumber = 0;
  return async (batch) => {
    if (batch.format !== 'rows') throw new Error(`an export takes values, not ${batch.format} batches`);
    const rows = batch.rows;
    // The writer's change happens in place: the sink gets rows of its own then.
    const forSink: readonly Row[] = transform
      ? rows.map((r) => {
          const back = readBack ? readBack(r) : r;
          return back === r ? r.slice() : back;
        })
      : readBack
        ? rows.map(readBack)
        : rows;
    const sinking = sink.write(forSink);
    if (!writer) return sinking;
    if (transform) for (const row of rows) transform(row);
    let toWriter: Batch;
    if (writer.format === 'rows') toWriter = batch;
    else if (writer.format === 'text') {
      for (const row of rows) {
        const line = encodeRow(row, ++rowNumber);
        const target = encoded.room(line.length * MAX_BYTES_PER_UNIT);
        const at = encoded.offset;
        encoded.commit(at + target.write(line, at, 'utf8'));
      }
      toWriter = { format: 'text', count: batch.count, ...encoded.take() };
    } else throw new Error(`an export cannot feed a writer that takes ${writer.format} batches`);
    await Promise.all([sinking, writer.write(toWriter)]);
  };
}
