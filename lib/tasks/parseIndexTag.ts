/** Most indexes one task may ask for. */
export const MAX_INDEXES = 8;
/** Most columns in one index. */
export const MAX_INDEX_COLUMNS = 8;

/**
 * A task's `-- index:` tag: which indexes its results table gets, built after
 * the load and before the table is swapped in. `total, status` is two indexes
 * of one column each; with a `;`, the `;` separates indexes and `,` the
 * columns of one: `total; status, order_date`. Names are the result's column
 * names, as they are (no quoting: a name with `,` or `;` cannot be indexed).
 *
 * @returns the indexes, or a problem to report against the task.
 */
export function parseIndexTag(value: string): { indexes: string[][] } | { problem: string } {
  const columnLists = value.includes(';') ? value.split(';').map((g) => g.split(',')) : value.split(',').map((c) => [c]);
  const indexes = columnLists.map((g) => g.map((c) => c.trim()));
  if (indexes.some((g) => g.some((c) => c === ''))) return { problem: `tag "index" has an empty column name (got "${value}"); write "-- index: total, status" or "-- index: total; status, order_date"` };
  if (indexes.length > MAX_INDEXES) return { problem: `tag "index" asks for ${indexes.length} indexes; at most ${MAX_INDEXES}` };
  if (indexes.some((g) => g.length > MAX_INDEX_COLUMNS)) return { problem: `tag "index": at most ${MAX_INDEX_COLUMNS} columns in one index` };
  if (indexes.some((g) => new Set(g).size !== g.length)) return { problem: `tag "index" names a column twice in one index (got "${value}")` };
  return { indexes };
}
