import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { OpenRowSink, RowSink } from '../db/port/rowSink.js';
import type { Column, Row } from '../db/port/types.js';
import type { ExportStore } from './exportStore.js';
import { partBuffers, type ObjectUpload } from './multipartUpload.js';
import { partName, type ExportOptions, type ExportPart } from './exportOptions.js';
import { ExportWarnings, partEncoder, textBuffers, type PartEncoder } from './partEncoders.js';

/** `manifest.json`: what an export holds. */
export interface ExportManifest {
  version: 1;
  job_id: string;
  run_id: string;
  format: ExportOptions['format'];
  compression: ExportOptions['compression'];
  /** The columns in order, with their kinds (see docs/results.md) and a DECIMAL's precision and scale. */
  columns: { name: string; type: Column['type']; precision?: number; scale?: number }[];
  rows: number;
  bytes: number;
  parts: ExportPart[];
  warnings: string[];
  created_at: string;
}

/** What a finished export wrote: its manifest's key and the manifest. */
export interface ExportSummary {
  manifestKey: string;
  manifest: ExportManifest;
}

const CONTENT_TYPES: Record<ExportOptions['format'], string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  jsonl: 'application/x-ndjson; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
};

/** One part being written: its encoder, and the bytes on their way to S3, through gzip when asked. */
interface OpenPart {
  key: string;
  rows: number;
  encoder: PartEncoder;
  head: Writable;
  upload: ObjectUpload;
  /** Settles when the object is complete: its bytes and sha256. */
  done: Promise<{ bytes: number; sha256: string }>;
}

/**
 * An export of one run's rows to S3 under `dir`: a row sink (lib/db/port/rowSink.ts)
 * that cuts the rows into parts of `part_rows`, streams each part through its encoder
 * (and gzip) into a multipart upload (lib/export/multipartUpload.ts), so memory holds a
 * few MB whatever the size, and
 * at the end writes `manifest.json` beside the parts. `summary` is set once it finished.
 */
export function exportRows(exportStore: ExportStore, target: { dir: string; jobId: string; runId: string; options: ExportOptions }): { open: OpenRowSink; summary(): ExportSummary | undefined } {
  let summary: ExportSummary | undefined;
  const open: OpenRowSink = async (columns) => {
    const { options, dir } = target;
    const warnings = new ExportWarnings();
    const parts: ExportPart[] = [];
    const written: string[] = [];
    let current: OpenPart | undefined;
    let rows = 0;
    // Allocated once for the whole export: its parts are written one after the other.
    const buffers = { parts: partBuffers(), text: textBuffers() };

    const startPart = async (): Promise<OpenPart> => {
      const key = dir + partName(parts.length + 1, options);
      written.push(key);
      const gzip = options.compression === 'gzip' && options.format !== 'parquet';
      const upload = await exportStore.upload(key, gzip ? 'application/gzip' : CONTENT_TYPES[options.format], buffers.parts);
      const zip = gzip ? createGzip() : undefined;
      const head: Writable = zip ?? upload.stream;
      const done = Promise.all([zip ? pipeline(zip, upload.stream) : finished(head), upload.done]).then(([, object]) => object);
      // A failure anywhere on the way fails the emits still waiting, and every later one.
      let failure: { err: unknown } | undefined;
      const waiting = new Set<(err: unknown) => void>();
      done.catch((err: unknown) => {
        failure = { err };
        for (const reject of waiting) reject(err);
        waiting.clear();
      });
      // Resolves once `head` took the bytes (gzip read them, or the upload copied them): the encoder may reuse its buffer then.
      const emit = (chunk: Buffer) =>
        new Promise<void>((resolve, reject) => {
          if (failure) return reject(failure.err);
          waiting.add(reject);
          head.write(chunk, (err) => {
            waiting.delete(reject);
            if (err) reject(err);
            else resolve();
          });
        });
      return { key, rows: 0, encoder: partEncoder(columns, options, { first: parts.length === 0, emit, warnings, buffers: buffers.text }), head, upload, done };
    };

    const endPart = async (part: OpenPart) => {
      await part.encoder.end();
      part.head.end();
      const { bytes, sha256 } = await part.done;
      parts.push({ key: part.key, rows: part.rows, bytes, sha256 });
    };

    const sink: RowSink = {
      async write(batch: readonly Row[]) {
        let at = 0;
        while (at < batch.length) {
          current ??= await startPart();
          const take = Math.min(batch.length - at, options.part_rows - current.rows);
          await current.encoder.write(at === 0 && take === batch.length ? batch : batch.slice(at, at + take));
          current.rows += take;
          rows += take;
          at += take;
          if (current.rows >= options.part_rows) {
            const full = current;
            current = undefined;
            await endPart(full);
          }
        }
      },
      async finish() {
        // No rows at all still makes one part: a CSV header, an empty file, a Parquet file of no rows.
        if (current || parts.length === 0) await endPart(current ?? (await startPart()));
        current = undefined;
        const manifest: ExportManifest = {
          version: 1,
          job_id: target.jobId,
          run_id: target.runId,
          format: options.format,
          compression: options.compression,
          columns: columns.map((c) => ({ name: c.name, type: c.type, ...(c.precision === undefined ? {} : { precision: c.precision, scale: c.scale ?? 0 }) })),
          rows,
          bytes: parts.reduce((sum, p) => sum + p.bytes, 0),
          parts,
          warnings: warnings.lines(options.format),
          created_at: new Date().toISOString(),
        };
        const manifestKey = `${dir}manifest.json`;
        written.push(manifestKey);
        await exportStore.put(manifestKey, JSON.stringify(manifest, null, 2), 'application/json');
        summary = { manifestKey, manifest };
        return { rows, warnings: manifest.warnings };
      },
      async abort() {
        const part = current;
        current = undefined;
        part?.head.destroy();
        await part?.upload.abort();
        await part?.done.catch(() => undefined);
        // Best effort: what is left expires with its marker (lib/export/exportExpiry.ts).
        await exportStore.delete(written).catch(() => undefined);
      },
    };
    return sink;
  };
  return { open, summary: () => summary };
}
