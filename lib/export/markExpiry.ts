import type { ExportStore } from './exportStore.js';
import { expiryMarker } from './exportKeys.js';

/**
 * Says `dir`'s objects expire at `expiresAtS` (epoch seconds): an empty marker object
 * whose key sorts by time, which `sweepExports` finds. A run writes one before its
 * first part (the latest its objects could be needed: its TTL after the attempt's
 * timeout) and one with the record's expiry once the job succeeded; the first marker
 * to come due deletes the objects, the later one then finds nothing.
 */
export async function markExpiry(exportStore: ExportStore, dir: string, expiresAtS: number): Promise<void> {
  await exportStore.put(expiryMarker(exportStore.config, dir, expiresAtS), '', 'application/octet-stream');
}
