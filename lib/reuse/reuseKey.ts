import { createHash } from 'node:crypto';

/**
 * The pointer key of a query: its task and args, hashed (args may be long; a key
 * holds at most 2 KB). `tenantTag`: the tenant whose jobs alone may share it
 * (lib/identity/tenantScope.ts); none for the default tenant (the keys of earlier
 * versions) and for tasks tagged `reuse_across_tenants`.
 */
export function reuseKey(task: string, args: readonly (string | null)[], tenantTag?: string): string {
  const hash = createHash('sha256').update(JSON.stringify([task, ...args])).digest('hex');
  return tenantTag === undefined ? `reuse#${hash}` : `reuse#${tenantTag}#${hash}`;
}
