import type { ExportStore } from './exportStore.js';
import { expiryPrefix, readExpiryMarker } from './exportKeys.js';

/** Deletes every object under `dir` (an export's parts and manifest); how many. */
export async function removeExportDir(exportStore: ExportStore, dir: string): Promise<number> {
  let removed = 0;
  let after: string | undefined;
  for (;;) {
    const page = await exportStore.list(dir, after);
    await exportStore.delete(page.keys);
    removed += page.keys.length;
    if (page.next === undefined) return removed;
    after = page.next;
  }
}

/** What one sweep of the export bucket did. */
export interface ExportSweep {
  /** Export directories whose objects were deleted. */
  expired: number;
  /** Objects deleted (parts and manifests). */
  objects: number;
}

/**
 * Deletes the exports whose expiry passed: lists the expiry markers in time order
 * (their keys sort by it), and for each one due deletes its directory's objects,
 * then the marker. At most `limit` markers a sweep; the rest wait for the next one.
 * In AWS a lifecycle rule on the prefix backs this up (lib/deploy/exportResources.ts).
 */
export async function sweepExports(exportStore: ExportStore, nowMs: number, limit = 200): Promise<ExportSweep> {
  const out: ExportSweep = { expired: 0, objects: 0 };
  const nowS = Math.floor(nowMs / 1000);
  const page = await exportStore.list(expiryPrefix(exportStore.config), undefined, limit);
  for (const key of page.keys) {
    const marker = readExpiryMarker(exportStore.config, key);
    if (marker && marker.expiresAtS > nowS) break;
    if (marker) {
      out.objects += await removeExportDir(exportStore, marker.dir);
      out.expired++;
    }
    await exportStore.delete([key]);
  }
  return out;
}
