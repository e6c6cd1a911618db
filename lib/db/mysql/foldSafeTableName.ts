import { ResultsTableNameError } from '../../errors.js';
import { patternTableName } from '../shared/patternTableName.js';

/** What escapes an upper-case letter (`A` -> `:a`) and itself (`:` -> `::`). */
const ESCAPE = ':';
const MAX_CHARS = 63;

/**
 * A results table name for a MySQL/MariaDB server with `lower_case_table_names`
 * 1 or 2, where `results_ABC` and `results_abc` are one table and names are
 * stored (1) or compared (2) in lower case. The name holds no upper-case letter,
 * so the server keeps it as written, and IDs that differ only in case get
 * different names: each upper-case letter becomes `:` and its lower case, and
 * `:` itself becomes `::`, an escape that decodes one way only (so no two job
 * IDs share a name). IDs of lower-case letters, digits, `_` and `-` (UUIDs, for
 * one) keep the name they have on any other server. The pattern is lower-cased
 * as the server would.
 *
 * @throws ResultsTableNameError when the escaped name passes 63 characters
 */
export function foldSafeTableName(pattern: string, jobId: string, setting: number): string {
  const escaped = [...jobId].map((c) => (c === ESCAPE ? ESCAPE + ESCAPE : /[A-Z]/.test(c) ? ESCAPE + c.toLowerCase() : c)).join('');
  const name = patternTableName(pattern.toLowerCase(), escaped);
  if ([...name].length > MAX_CHARS) {
    throw new ResultsTableNameError(
      jobId,
      name,
      `its MySQL results database sets lower_case_table_names=${setting}, so each upper-case letter and ":" of the ID takes two characters`,
    );
  }
  return name;
}
