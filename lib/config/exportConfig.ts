import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { parseDurationMs } from './parseDurationMs.js';
import type { ExportConfig } from './types.js';

/** A presigned URL lives at most a week (SigV4's limit). */
export const MAX_URL_TTL_S = 7 * 86_400;

/** S3's rule for a (DNS-compatible) bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, a letter or digit at each end. */
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** A key prefix: printable ASCII without a leading slash, backslash or `..` segment; at most 200 bytes. */
const PREFIX = /^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))[\x21-\x5b\x5d-\x7e]{0,200}$/;

/** The `[export]` keys (config.toml). */
export const exportFields = {
  bucket: z.string({ error: 'expected a string' }).regex(BUCKET, { error: 'expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens' }).optional(),
  prefix: z.string({ error: 'expected a string' }).regex(PREFIX, { error: 'expected up to 200 printable ASCII characters (no spaces, backslashes, leading "/" or ".." segments)' }).default('exports/'),
  url_ttl: z.unknown().optional(),
};

export type ExportInput = z.output<z.ZodObject<typeof exportFields>>;

/**
 * Validates `[export]` beyond its types and builds ExportConfig (undefined when no
 * bucket is set: exports are off); appends problems as `export.KEY: what is wrong`.
 * The prefix always ends with `/`, so that every object of the service sits under it.
 */
export function readExportConfig(input: ExportInput, problems: string[]): ExportConfig | undefined {
  const ttlMs = parseDurationMs(input.url_ttl ?? '15m');
  let urlTtlS = 900;
  if (ttlMs === undefined || ttlMs < 1000 || ttlMs > MAX_URL_TTL_S * 1000 || ttlMs % 1000 !== 0) {
    problems.push('export.url_ttl: expected whole seconds from 1s to 7 days, such as "15m" or 3600');
  } else urlTtlS = ttlMs / 1000;
  if (input.bucket === undefined) {
    if (input.url_ttl !== undefined) problems.push('export.url_ttl: is only used with export.bucket');
    return undefined;
  }
  const prefix = input.prefix === '' || input.prefix.endsWith('/') ? input.prefix : `${input.prefix}/`;
  return { bucket: input.bucket, prefix, urlTtlS };
}
