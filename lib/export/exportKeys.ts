import type { ExportConfig } from '../config/types.js';
import { partName, type JobExport } from './exportOptions.js';

/** Digits of an expiry marker's epoch seconds: zero-padded, so key order is time order. */
const EXPIRY_DIGITS = 12;

/**
 * Where one attempt of one run of a job puts its parts and manifest:
 * `<prefix>jobs/<job id>/<run id>.<attempt>/`. An attempt never writes over another's
 * objects, and a newer run of the same job ID never over an older one's.
 */
export function exportDir(config: ExportConfig, jobId: string, runId: string, attempt: number): string {
  return `${config.prefix}jobs/${encodeURIComponent(jobId)}/${runId}.${attempt}/`;
}

/** Where the expiry markers are: `<prefix>expiry/<epoch seconds>/<dir below the prefix>`. */
export const expiryPrefix = (config: ExportConfig) => `${config.prefix}expiry/`;

/** The empty object that says `dir`'s objects expire at `expiresAtS` (epoch seconds): the sweeper lists these in time order. */
export function expiryMarker(config: ExportConfig, dir: string, expiresAtS: number): string {
  return `${expiryPrefix(config)}${String(Math.max(0, Math.ceil(expiresAtS))).padStart(EXPIRY_DIGITS, '0')}/${dir.slice(config.prefix.length)}`;
}

/** A marker's expiry (epoch seconds) and the directory it expires; undefined for a key that is no marker. */
export function readExpiryMarker(config: ExportConfig, key: string): { expiresAtS: number; dir: string } | undefined {
  const rest = key.slice(expiryPrefix(config).length);
  const m = /^(\d{12})\/(jobs\/[^/]+\/[^/]+\/)$/.exec(rest);
  if (!key.startsWith(expiryPrefix(config)) || !m) return undefined;
  return { expiresAtS: Number(m[1]), dir: config.prefix + m[2]! };
}

/**
 * The objects of a finished export, from its job's record alone (nothing listed): its
 * parts, `part-00001...` up to the record's count, and the manifest beside them.
 * None for an export that did not finish (an attempt that fails deletes what it wrote).
 */
export function exportObjects(exp: JobExport | undefined): { manifest: string; parts: string[] } | undefined {
  if (exp?.manifest === undefined) return undefined;
  const dir = exp.manifest.slice(0, exp.manifest.lastIndexOf('/') + 1);
  return { manifest: exp.manifest, parts: Array.from({ length: exp.parts ?? 0 }, (_, i) => dir + partName(i + 1, exp)) };
}
