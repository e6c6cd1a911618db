/** `~` appears only in the tables of tenants other than the default one (`results_<tag>~<job_id>`, lib/identity/tenantScope.ts). */
const TABLE_NAME = /^[A-Za-z0-9_:~-]{1,63}$/;

/**
 * Throws unless `name` is a results table name we accept: 1 to 63 letters,
 * digits, `_`, `:`, `-` or `~` (63 is PostgreSQL's identifier limit; MySQL allows 64).
 */
export function assertTableName(name: string): void {
  if (!TABLE_NAME.test(name)) {
    throw new Error(`invalid results table name "${name}": use 1 to 63 letters, digits, "_", ":", "-" or "~"`);
  }
}
