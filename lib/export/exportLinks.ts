import { ExportNotFoundError, JobNotFoundError, JobNotSucceededError, ResultsGoneError } from '../errors.js';
import { wireId } from '../identity/tenantScope.js';
import type { JobStore } from '../jobs/jobStore.js';
import { exportObjects } from './exportKeys.js';
import type { ExportStore } from './exportStore.js';

export interface ExportLinksDeps {
  store: Pick<JobStore, 'get'>;
  exportStore?: ExportStore;
}

/**
 * GET /jobs/{jobID}/export: fresh presigned GET URLs of a SUCCESS job's manifest and
 * of every part, each valid for `[export] url_ttl`. Nothing is read from S3: the
 * record says how many parts there are and their keys follow from it; presigning
 * is a signature computed here, with the API's own right to read the prefix.
 */
export async function exportLinks(deps: ExportLinksDeps, jobId: string, nowMs = Date.now()) {
  const job = await deps.store.get(jobId);
  if (!job) throw new JobNotFoundError(jobId);
  const exp = job.export;
  if (!exp) throw new ExportNotFoundError(wireId(jobId));
  if (job.status !== 'SUCCESS') throw new JobNotSucceededError(wireId(jobId), job.status);
  if (!deps.exportStore || exp.manifest === undefined) throw new ResultsGoneError(`the export of job "${wireId(jobId)}" is not available (no export bucket is configured)`);
  const exportStore = deps.exportStore;
  const ttl = exportStore.config.urlTtlS;
  const keys = exportObjects(exp)!.parts;
  const [manifestUrl, ...partUrls] = await Promise.all([exp.manifest, ...keys].map((key) => exportStore.presign(key, ttl)));
  return {
    job_id: wireId(job.job_id),
    run_id: job.run_id,
    format: exp.format,
    compression: exp.compression,
    rows: exp.rows ?? null,
    bytes: exp.bytes ?? null,
    urls_expire_at: new Date(nowMs + ttl * 1000).toISOString(),
    manifest: { key: exp.manifest, url: manifestUrl! },
    parts: keys.map((key, i) => ({ key, url: partUrls[i]! })),
  };
}

export type ExportLinks = Awaited<ReturnType<typeof exportLinks>>;
