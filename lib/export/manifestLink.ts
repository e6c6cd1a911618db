import { wireId } from '../identity/tenantScope.js';
import type { JobItem } from '../jobs/types.js';
import type { ExportStore } from './exportStore.js';

/**
 * Where a finished export's manifest is, as a completion event carries it: the
 * bucket (the key is the status's `manifest`), a presigned GET URL of the manifest
 * valid for `[export] url_ttl`, when it expires, and the route that answers fresh
 * URLs of the manifest and every part.
 *
 * Only the manifest is presigned: it lists the parts' keys, rows, sizes and hashes
 * and the columns, no row. Events go to the operator's own sinks (webhooks, the SNS
 * topic, EventBridge); a subscriber that mails or posts the report downloads the
 * parts with credentials of its own, or asks `links` for their URLs.
 */
export interface ManifestLink {
  bucket: string;
  manifest_url: string;
  urls_expire_at: string;
  links: string;
}

/** The link of a SUCCESS job's export, or undefined (no export, not finished, no bucket configured). */
export async function manifestLink(exportStore: Pick<ExportStore, 'config' | 'presign'> | undefined, job: JobItem, nowMs = Date.now()): Promise<ManifestLink | undefined> {
  const manifest = job.export?.manifest;
  if (!exportStore || manifest === undefined || job.status !== 'SUCCESS') return undefined;
  const ttl = exportStore.config.urlTtlS;
  return {
    bucket: exportStore.config.bucket,
    manifest_url: await exportStore.presign(manifest, ttl),
    urls_expire_at: new Date(nowMs + ttl * 1000).toISOString(),
    links: `/jobs/${encodeURIComponent(wireId(job.job_id))}/export`,
  };
}
