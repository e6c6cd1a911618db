import { createHash } from 'node:crypto';
import { finished, Writable } from 'node:stream';

/** One uploaded part, as CompleteMultipartUpload lists it. */
export interface CompletedPart {
  PartNumber: number;
  ETag: string;
  ChecksumCRC32?: string;
}

/** The S3 requests of one object's upload (lib/export/exportStore.ts sends them). */
export interface MultipartCalls {
  /** CreateMultipartUpload: the upload's ID. */
  create(): Promise<string>;
  /** UploadPart: `body` is only read until the promise settles (its buffer is reused after). */
  part(uploadId: string, partNumber: number, body: Buffer): Promise<CompletedPart>;
  complete(uploadId: string, parts: CompletedPart[]): Promise<void>;
  abort(uploadId: string): Promise<void>;
  /** PutObject: a whole object smaller than one part. */
  single(body: Buffer): Promise<void>;
}

/**
 * An object being written: its bytes go to `stream` (a write's callback comes once
 * its bytes are copied: the caller may then reuse its buffer); `done` settles when
 * the object is complete, with its size and SHA-256, or failed; `abort` stops it.
 */
export interface ObjectUpload {
  stream: Writable;
  done: Promise<{ bytes: number; sha256: string }>;
  abort(): Promise<void>;
}

/** S3's smallest part (but the last): what one part buffer holds. */
export const PART_BYTES = 5 * 1024 * 1024;
/** S3's most parts per object: 50 GB at PART_BYTES, far more than one attempt can write. */
const MAX_PARTS = 10_000;

/** The two part buffers of an upload; an export's parts, written one after the other, share them. */
export type PartBuffers = [Buffer, Buffer];

export function partBuffers(partBytes = PART_BYTES): PartBuffers {
  return [Buffer.allocUnsafe(partBytes), Buffer.allocUnsafe(partBytes)];
}

/**
 * Streams bytes into one S3 object with a multipart upload, in constant memory:
 * two part buffers allocated once, one filling while the other is uploaded. What
 * is written is copied into them at once, so no chunk outlives its write; and the
 * buffers are reused, so an export of any size makes no garbage of part size (a
 * chunk list and its concatenation per part would reach the old generation while
 * the part fills, and stay there until a full collection: tens of MB for nothing).
 * `buffers` may be shared by uploads one after the other (never at once).
 * A write waits only when both buffers are full (backpressure). An object smaller
 * than one part goes in one PutObject. A failure, or `abort`, aborts the multipart
 * upload, so no parts are left behind.
 */
export function multipartUpload(calls: MultipartCalls, buffers: PartBuffers = partBuffers()): ObjectUpload {
  const partBytes = buffers[0].length;
  let filling = 0;
  let filled = 0;
  let uploadId: Promise<string> | undefined;
  const parts: CompletedPart[] = [];
  /** The part being uploaded (from the buffer not filling): awaited before that buffer fills again. */
  let inFlight: Promise<void> = Promise.resolve();
  const hash = createHash('sha256');
  let bytes = 0;

  const ship = (body: Buffer): Promise<void> => {
    const partNumber = parts.length + 1;
    const sent =
      partNumber > MAX_PARTS
        ? Promise.reject(new Error(`an export part is over ${MAX_PARTS} S3 parts of ${partBytes} bytes; ask for fewer part_rows`))
        : (uploadId ??= calls.create()).then((id) => calls.part(id, partNumber, body)).then((p) => void parts.push(p));
    // Observed here, rethrown where it is awaited: the next full buffer or the end.
    sent.catch(() => undefined);
    return sent;
  };

  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      void (async () => {
        for (let at = 0; at < chunk.length; ) {
          const take = Math.min(chunk.length - at, partBytes - filled);
          chunk.copy(buffers[filling]!, filled, at, at + take);
          filled += take;
          at += take;
          if (filled === partBytes) {
            await inFlight;
            inFlight = ship(buffers[filling]!);
            filling ^= 1;
            filled = 0;
          }
        }
      })().then(() => callback(), callback);
    },
    final(callback) {
      void (async () => {
        await inFlight;
        if (uploadId === undefined) return calls.single(buffers[filling]!.subarray(0, filled));
        if (filled > 0) await ship(buffers[filling]!.subarray(0, filled));
        await calls.complete(await uploadId, parts);
      })().then(() => callback(), callback);
    },
    destroy(err, callback) {
      // After a failure (or abort) nothing is completed: the parts sent are dropped with the upload.
      void (async () => {
        await inFlight.catch(() => undefined);
        const id = await uploadId?.catch(() => undefined);
        if (id !== undefined) await calls.abort(id).catch(() => undefined);
      })().then(() => callback(err));
    },
  });
  const done = new Promise<{ bytes: number; sha256: string }>((resolve, reject) => finished(stream, (err) => (err ? reject(err) : resolve({ bytes, sha256: hash.digest('hex') }))));
  done.catch(() => undefined);
  const closed = new Promise<void>((resolve) => stream.once('close', resolve));
  return {
    stream,
    done,
    abort: async () => {
      if (!stream.writableFinished) stream.destroy(new Error('the upload was aborted'));
      await closed;
    },
  };
}
