import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import { mysqlPool } from './pools.js';
import { mysqlQuery } from './session.js';

/** Privileges that write nothing (EXECUTE: a function a SELECT calls still runs inside the READ ONLY transaction). */
const READ_PRIVILEGES = new Set(['USAGE', 'SELECT', 'SHOW VIEW', 'SHOW DATABASES', 'EXECUTE', 'PROCESS', 'REPLICATION CLIENT', 'BINLOG MONITOR', 'SLAVE MONITOR', 'REPLICA MONITOR']);

/** A GRANT line's privileges, column lists dropped ("INSERT (`a`, `b`)" is INSERT). */
export function grantPrivileges(privileges: string): string[] {
  return privileges
    .replace(/\([^)]*\)/g, '')
    .split(',')
    .map((p) => p.trim().toUpperCase())
    .filter((p) => p !== '');
}

/**
 * What the source's user could write, from `SHOW GRANTS`: each grant of a
 * privilege beyond reading (INSERT, UPDATE, DELETE, CREATE, DROP, ALL
 * PRIVILEGES, ...), and the roles it holds, whose grants it does not expand.
 * Empty: a read-only user, as docs/security.md advises.
 */
export async function mysqlWriteAccess(pools: DbPools, db: DbConfig): Promise<string[]> {
  const rows = await mysqlQuery<Record<string, string>[]>(mysqlPool(pools, db).pool, 'SHOW GRANTS');
  const found: string[] = [];
  for (const row of rows) {
    const line = String(Object.values(row)[0] ?? '');
    const grant = /^GRANT (.+?) ON (.+?) TO /i.exec(line);
    if (!grant) {
      const role = /^GRANT (.+?) TO /i.exec(line);
      if (role) found.push(`holds role(s) ${role[1]}, whose privileges are not checked here`);
      continue;
    }
    const writes = grantPrivileges(grant[1]!).filter((p) => !READ_PRIVILEGES.has(p));
    if (/WITH GRANT OPTION/i.test(line)) writes.push('GRANT OPTION');
    if (writes.length > 0) found.push(`may ${writes.join(', ')} on ${grant[2]}`);
  }
  return found;
}
