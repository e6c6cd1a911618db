import { createHash } from 'node:crypto';
import { DEFAULT_TENANT } from './caller.js';

/**
 * Separates a tenant's tag from the ID it scopes. No job or group ID may hold it
 * (lib/jobs/jobId.ts, lib/groups/groupId.ts), so a scoped ID never equals an ID
 * of the default tenant, and its results table never another's.
 */
export const TENANT_SEPARATOR = '~';

/** Characters of a tenant tag: lower-case base32, so MySQL's case folding of table names cannot merge two. */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** 12 base32 characters: 60 bits of SHA-256; see docs/security.md, "Tenants". */
export const TENANT_TAG_LENGTH = 12;

/**
 * The tag of a tenant: 60 bits of the SHA-256 of its name, in lower-case base32.
 * Fixed length, whatever the tenant's name (a claim may be long or hold any
 * character), and the same in every process.
 */
export function tenantTag(tenant: string): string {
  const digest = createHash('sha256').update(tenant, 'utf8').digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < TENANT_TAG_LENGTH) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === TENANT_TAG_LENGTH) break;
    value &= 0xff;
  }
  return out;
}

/** What a tenant's scoped IDs start with; empty for the default tenant, whose IDs are stored as given. */
export function scopePrefix(tenant: string): string {
  return tenant === DEFAULT_TENANT ? '' : `${tenantTag(tenant)}${TENANT_SEPARATOR}`;
}

/**
 * The stored ID of a tenant's job or group: the default tenant's as given (the
 * keys and results table names of earlier versions), any other's prefixed with
 * its tag and TENANT_SEPARATOR (`k3v...~monthly-report`). Keys, messages,
 * results table names and reuse pointers all use the stored ID.
 */
export function scopeId(tenant: string, id: string): string {
  return `${scopePrefix(tenant)}${id}`;
}

/** The ID a tenant knows a stored ID by: the part after the tag. */
export function wireId(scoped: string): string {
  const at = scoped.indexOf(TENANT_SEPARATOR);
  return at < 0 ? scoped : scoped.slice(at + 1);
}

/** Whether a stored ID belongs to `tenant`. */
export function ownedBy(scoped: string, tenant: string): boolean {
  const prefix = scopePrefix(tenant);
  return prefix === '' ? !scoped.includes(TENANT_SEPARATOR) : scoped.startsWith(prefix);
}

/** The tag part of a stored ID; undefined for the default tenant's. */
export function tagOf(scoped: string): string | undefined {
  const at = scoped.indexOf(TENANT_SEPARATOR);
  return at < 0 ? undefined : scoped.slice(0, at);
}
