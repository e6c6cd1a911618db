import type { Config } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { sourceDb } from '../lib/db/sourceDb.js';

/** A source database whose user could write, and what it could write. */
export interface WriteAccessWarning {
  db: string;
  lines: string[];
}

/**
 * Asks each `[db.NAME]` what its user could write (superuser, table grants,
 * ownership, `SHOW GRANTS`). Tasks run in READ ONLY transactions, but a source
 * user that cannot write at all is the defence that does not depend on them
 * (docs/security.md gives the grants). A database that cannot be asked is
 * reported as such: the task check says why it is unreachable.
 */
export async function checkWriteAccess(config: Config): Promise<WriteAccessWarning[]> {
  const pools = createDbPools();
  const out: WriteAccessWarning[] = [];
  try {
    for (const db of Object.values(config.db)) {
      try {
        const lines = await sourceDb(pools, db).writeAccess();
        if (lines.length > 0) out.push({ db: db.name, lines });
      } catch (err) {
        out.push({ db: db.name, lines: [`could not check what its user may write: ${(err as Error).message}`] });
      }
    }
  } finally {
    await pools.end();
  }
  return out;
}

export function printWriteAccess(warnings: WriteAccessWarning[], out: (line: string) => void = (line) => console.log(line)): void {
  if (warnings.length === 0) return;
  out('\nWarning: source database users that can write (tasks run READ ONLY, but use a read-only user; see docs/security.md):');
  for (const w of warnings) for (const line of w.lines) out(`  WARN  db ${w.db}: ${line}`);
}
