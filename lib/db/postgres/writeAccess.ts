import type { DbConfig } from '../../config/types.js';
import type { DbPools } from '../port/dbPools.js';
import { pgPool } from './pools.js';

/** How many writable tables a warning names before it counts the rest. */
const NAMED = 5;

/**
 * What the source's user could write, were it not for the READ ONLY transaction:
 * superuser, tables it may INSERT, UPDATE, DELETE or TRUNCATE (its own included),
 * schemas it may create in. Empty: a read-only user, as docs/security.md advises.
 */
export async function pgWriteAccess(pools: DbPools, db: DbConfig): Promise<string[]> {
  const pool = pgPool(pools, db);
  const found: string[] = [];
  const { rows: role } = await pool.query<{ user: string; superuser: boolean }>(
    'SELECT current_user AS user, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
  );
  const user = role[0]?.user ?? '?';
  if (role[0]?.superuser) found.push(`user "${user}" is a superuser`);
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'f')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'
        AND (has_table_privilege(c.oid, 'INSERT') OR has_table_privilege(c.oid, 'UPDATE')
             OR has_table_privilege(c.oid, 'DELETE') OR has_table_privilege(c.oid, 'TRUNCATE'))
      ORDER BY 1`,
  );
  if (tables.length > 0) {
    const named = tables.slice(0, NAMED).map((t) => t.name).join(', ');
    found.push(`user "${user}" may write ${tables.length} table(s): ${named}${tables.length > NAMED ? ', ...' : ''}`);
  }
  const { rows: schemas } = await pool.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace
      WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'
        AND has_schema_privilege(oid, 'CREATE')
      ORDER BY 1`,
  );
  if (schemas.length > 0) found.push(`user "${user}" may create objects in schema(s) ${schemas.map((s) => s.name).join(', ')}`);
  return found;
}
