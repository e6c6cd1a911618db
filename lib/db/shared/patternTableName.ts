/**
 * The config's `results_table` pattern with its `%s` replaced by `id` (appended
 * when it has none): `results_%s` + `abc` -> `results_abc`. Not validated: the
 * results database's `tableName` (lib/db/resultsDb.ts) is the name a job's table gets.
 */
export function patternTableName(pattern: string, id: string): string {
  // A function replacement: a job ID's `$&` or `$'` must not be read as a pattern.
  return pattern.includes('%s') ? pattern.replace('%s', () => id) : `${pattern}${id}`;
}
