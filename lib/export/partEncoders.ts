import { gzipSync } from 'node:zlib';
import { ParquetWriter, ByteWriter } from 'hyparquet-writer';
import type { Column, Row } from '../db/port/types.js';
import { csvHeader, csvRowEncoder, jsonField } from '../results/resultsEncoding.js';
import type { ExportOptions } from './exportOptions.js';
import { parquetColumn, UNFIT } from './parquetColumn.js';

/** Hands encoded bytes on; resolves once they were taken (the buffer may be reused then), and more may be given (backpressure). */
export type Emit = (bytes: Buffer) => Promise<void>;

/** Turns one part's rows into its file's bytes. */
export interface PartEncoder {
  write(rows: readonly Row[]): Promise<void>;
  /** After the part's last row: the file's end (Parquet's footer). */
  end(): Promise<void>;
}

/** Counts the values a format could not hold, per column and reason, across parts. */
export class ExportWarnings {
  readonly #counts = new Map<string, number>();
  add(column: string, what: string): void {
    const key = `column "${column}": value(s) ${what}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
  }
  /** `export: column "x": 3 value(s) ... written as NULL`. */
  lines(format: string): string[] {
    return [...this.#counts].map(([key, n]) => `export: ${key.replace('value(s)', `${n} value(s)`)}, written as NULL (${format})`);
  }
}

/** Rows encoded into one string before it becomes bytes: fewer, larger writes. */
const TEXT_FLUSH_CHARS = 256 * 1024;
/** UTF-8 needs at most 3 bytes per UTF-16 code unit: a flush's text always fits one of the text buffers. */
const TEXT_BUFFER_BYTES = 3 * TEXT_FLUSH_CHARS + 64 * 1024;

/**
 * Rows of a Parquet row group at most; fewer when their values pass ROW_GROUP_CHARS.
 * The writer holds a group's values as JS values, several copies while it encodes
 * them: this bounds the worker's memory (measured in bench/export.ts).
 */
const ROW_GROUP_ROWS = 32_768;
const ROW_GROUP_CHARS = 8 * 1024 * 1024;

/** What one part's encoder writes with. */
export interface PartEncoderContext {
  /** The export's first part: a CSV header goes there only. */
  first: boolean;
  emit: Emit;
  warnings: ExportWarnings;
  /** CSV and JSON lines: the text buffers, shared by the export's parts (one after the other). */
  buffers: TextBuffers;
}

/** The encoder of one part. */
export function partEncoder(columns: readonly Column[], options: ExportOptions, { first, emit, warnings, buffers }: PartEncoderContext): PartEncoder {
  if (options.format === 'parquet') return parquetEncoder(columns, options, emit, warnings);
  const line = options.format === 'csv' ? csvRowEncoder(columns) : jsonLine(columns);
  const out = textBytes(emit, buffers);
  let text = first && options.format === 'csv' ? csvHeader(columns) : '';
  return {
    async write(rows) {
      for (const row of rows) {
        text += line(row);
        if (text.length >= TEXT_FLUSH_CHARS) {
          const chunk = text;
          text = '';
          await out.write(chunk);
        }
      }
    },
    async end() {
      if (text !== '') await out.write(text);
      text = '';
      await out.end();
    },
  };
}

/** The two buffers text becomes bytes in (see `textBytes`). */
export type TextBuffers = [Buffer, Buffer];

export function textBuffers(): TextBuffers {
  return [Buffer.allocUnsafe(TEXT_BUFFER_BYTES), Buffer.allocUnsafe(TEXT_BUFFER_BYTES)];
}

/**
 * Text into bytes through two buffers allocated once, used in turn: one is being
 * taken (gzipped, or copied into the upload) while the other fills. A new buffer per
 * flush would be garbage the size of the text, some of it old enough to wait for a
 * full collection; these are reused for the whole export. Text longer than a buffer
 * (a row of megabytes) gets a buffer of its own. Every buffer is free again once `end` resolves.
 */
function textBytes(emit: Emit, buffers: TextBuffers): { write(text: string): Promise<void>; end(): Promise<void> } {
  const taking: Promise<void>[] = [Promise.resolve(), Promise.resolve()];
  let next = 0;
  return {
    async write(text) {
      if (text.length * 3 > TEXT_BUFFER_BYTES) return emit(Buffer.from(text, 'utf8'));
      const i = next;
      next ^= 1;
      await taking[i];
      const buffer = buffers[i]!;
      const taken = emit(buffer.subarray(0, buffer.write(text, 0, 'utf8')));
      // Awaited before this buffer is filled again, or at the end.
      taken.catch(() => undefined);
      taking[i] = taken;
    },
    async end() {
      await Promise.all(taking);
    },
  };
}

/** One JSON object per line, keys in column order; values as the JSON results answer gives them (see `jsonField`). */
function jsonLine(columns: readonly Column[]): (row: Row) => string {
  const keys = columns.map((c) => JSON.stringify(c.name) + ':');
  return (row) => {
    let text = '{';
    for (let i = 0; i < columns.length; i++) text += (i === 0 ? '' : ',') + keys[i] + jsonField(columns[i]!.type, row[i] ?? null);
    return text + '}\n';
  };
}

/**
 * A Parquet file written row group by row group: values are kept per column until
 * a group is full, then encoded and handed on, so memory holds one row group.
 */
function parquetEncoder(columns: readonly Column[], options: ExportOptions, emit: Emit, warnings: ExportWarnings): PartEncoder {
  const pq = columns.map(parquetColumn);
  const bytes = new ByteWriter(1024 * 1024);
  // Each row group's bytes go on as soon as the group is written.
  const flush = async () => {
    if (bytes.index === 0) return;
    // Taken (copied into the upload) before emit resolves: the writer's buffer is free again then.
    await emit(Buffer.from(bytes.buffer, 0, bytes.index));
    bytes.index = 0;
  };
  Object.assign(bytes, { flush, finish: flush });
  const writer = new ParquetWriter({
    writer: bytes,
    schema: [{ name: 'root', num_children: columns.length }, ...pq.map((c) => c.element)],
    codec: options.compression === 'gzip' ? 'GZIP' : 'UNCOMPRESSED',
    compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
    createdBy: 'sql-jobber',
  });
  let data: unknown[][] = columns.map(() => []);
  let rows = 0;
  let chars = 0;
  const writeGroup = async () => {
    if (rows === 0) return;
    const columnData = pq.map((c, i) => ({ name: c.element.name, data: data[i]! }));
    data = columns.map(() => []);
    const n = rows;
    rows = 0;
    chars = 0;
    await writer.write({ columnData, rowGroupSize: n });
  };
  return {
    async write(batch) {
      for (const row of batch) {
        for (let i = 0; i < pq.length; i++) {
          const v = row[i];
          let value: unknown = null;
          if (v != null) {
            chars += v.length;
            value = pq[i]!.convert(v);
            if (value === UNFIT) {
              warnings.add(columns[i]!.name, pq[i]!.unfit);
              value = null;
            }
          }
          data[i]!.push(value);
        }
        rows++;
        if (rows >= Math.min(ROW_GROUP_ROWS, options.part_rows) || chars >= ROW_GROUP_CHARS) await writeGroup();
      }
    },
    async end() {
      await writeGroup();
      await writer.finish();
    },
  };
}
