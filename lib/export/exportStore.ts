import type { S3Client } from '@aws-sdk/client-s3';
import type { ExportConfig } from '../config/types.js';
import type { Settings } from '../settings.js';
import { multipartUpload, type ObjectUpload, type PartBuffers } from './multipartUpload.js';

export type { ObjectUpload } from './multipartUpload.js';

/** Keys listed under a prefix, in key order. */
export interface ListedKeys {
  keys: string[];
  /** Where the next page starts (undefined: the last page). */
  next?: string;
}

/** Objects deleted at most per DeleteObjects request (S3's limit). */
const DELETE_BATCH = 1000;

/**
 * The export bucket (`[export] bucket`): the adapter every export goes through.
 * In AWS the function's role decides what it may do (lib/deploy: the worker writes,
 * the API presigns reads, the sweeper lists and deletes, each under the prefix);
 * locally it talks to fauxqs's S3 on the local endpoint, path-style. The SDK is
 * loaded on first use, so functions that never export never load it.
 */
export class ExportStore {
  readonly #client: () => Promise<{ s3: S3Client; sdk: typeof import('@aws-sdk/client-s3') }>;

  constructor(
    readonly config: ExportConfig,
    settings: Pick<Settings, 'region' | 'sqsEndpoint'>,
  ) {
    let client: ReturnType<typeof this.connect> | undefined;
    this.#client = () => (client ??= this.connect(settings));
  }

  private async connect(settings: Pick<Settings, 'region' | 'sqsEndpoint'>) {
    const sdk = await import('@aws-sdk/client-s3');
    const local = settings.sqsEndpoint ? { endpoint: settings.sqsEndpoint, forcePathStyle: true, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {};
    return { s3: new sdk.S3Client({ region: settings.region, ...local }), sdk };
  }

  /**
   * A new object written as a stream (lib/export/multipartUpload.ts): a multipart
   * upload of 5 MB parts from two reused buffers, one part in flight (S3 takes far
   * more than gzip makes), or one PutObject when it is smaller than a part. Each part
   * carries its CRC32, which S3 checks. `buffers`: the two part buffers, when the
   * caller reuses them from one object to the next.
   */
  async upload(key: string, contentType: string, buffers?: PartBuffers): Promise<ObjectUpload> {
    const { s3, sdk } = await this.#client();
    const object = { Bucket: this.config.bucket, Key: key };
    return multipartUpload({
      create: async () => (await s3.send(new sdk.CreateMultipartUploadCommand({ ...object, ContentType: contentType, ChecksumAlgorithm: sdk.ChecksumAlgorithm.CRC32 }))).UploadId!,
      part: async (UploadId, PartNumber, Body) => {
        const out = await s3.send(new sdk.UploadPartCommand({ ...object, UploadId, PartNumber, Body, ContentLength: Body.length, ChecksumAlgorithm: sdk.ChecksumAlgorithm.CRC32 }));
        return { PartNumber, ETag: out.ETag!, ...(out.ChecksumCRC32 ? { ChecksumCRC32: out.ChecksumCRC32 } : {}) };
      },
      complete: async (UploadId, Parts) => void (await s3.send(new sdk.CompleteMultipartUploadCommand({ ...object, UploadId, MultipartUpload: { Parts } }))),
      abort: async (UploadId) => void (await s3.send(new sdk.AbortMultipartUploadCommand({ ...object, UploadId }))),
      single: async (Body) => void (await s3.send(new sdk.PutObjectCommand({ ...object, Body, ContentType: contentType, ContentLength: Body.length }))),
    }, buffers);
  }

  /** Writes a small object in one request. */
  async put(key: string, body: string, contentType: string): Promise<void> {
    const { s3, sdk } = await this.#client();
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.config.bucket, Key: key, Body: body, ContentType: contentType, ContentLength: Buffer.byteLength(body) }));
  }

  /** A URL that GETs the object without credentials until `ttlS` seconds from now. */
  async presign(key: string, ttlS: number): Promise<string> {
    const { s3, sdk } = await this.#client();
    const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
    return getSignedUrl(s3, new sdk.GetObjectCommand({ Bucket: this.config.bucket, Key: key }), { expiresIn: ttlS });
  }

  /** One page of the keys under `prefix`, in key order, after `startAfter`. */
  async list(prefix: string, startAfter?: string, limit = 1000): Promise<ListedKeys> {
    const { s3, sdk } = await this.#client();
    const out = await s3.send(
      new sdk.ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: prefix, MaxKeys: limit, ...(startAfter === undefined ? {} : { StartAfter: startAfter }) }),
    );
    const keys = (out.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
    return { keys, ...(out.IsTruncated && keys.length > 0 ? { next: keys.at(-1) } : {}) };
  }

  /** Deletes the objects, in batches; a key already gone is no error. */
  async delete(keys: readonly string[]): Promise<void> {
    const { s3, sdk } = await this.#client();
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      const out = await s3.send(new sdk.DeleteObjectsCommand({ Bucket: this.config.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }));
      const failed = out.Errors ?? [];
      if (failed.length > 0) throw new Error(`S3 did not delete ${failed.length} object(s), first ${failed[0]!.Key}: ${failed[0]!.Code} ${failed[0]!.Message}`);
    }
  }
}
