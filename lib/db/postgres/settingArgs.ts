import { numberedPlaceholders } from '../countArgs.js';

/** The name of the custom setting that carries argument `n` through the transaction. */
const setting = (n: number) => `sqljobber.arg_${n}`;

/**
 * The statement that stores the task's arguments for the rest of the transaction:
 * one `set_config(name, $n, true)` per argument, each value bound, never in the text.
 */
export function setArgsStatement(count: number): string {
  const calls = Array.from({ length: count }, (_, i) => `set_config('${setting(i + 1)}', $${i + 1}, true)`);
  return `SELECT ${calls.join(', ')}`;
}

/**
 * The query with each `$n` (outside strings, quoted identifiers and comments)
 * replaced by `((SELECT current_setting('sqljobber.arg_n')::type)::type)`,
 * `type` being the parameter type the server inferred for `$n`. A COPY cannot
 * take bound parameters; this cast runs the type's input function on the
 * argument's text, exactly as binding a text parameter of that type does, so a
 * value never becomes SQL.
 *
 * - The sub-SELECT makes it an InitPlan, evaluated once per query: a bare
 *   `current_setting(...)` is only STABLE and would be looked up and parsed
 *   again for every row a filter reads.
 * - The outer cast (a no-op) makes it an expression, not a sub-SELECT, where
 *   the difference matters: `= ANY($1)` must stay "any element of the array".
 * - `types[n - 1]` names `$n`'s type as `format_type(oid, -1)` does: `bpchar`
 *   and `"bit"`, not `character` and `bit`, which a cast reads as length 1.
 */
export function withArgsFromSettings(query: string, types: readonly string[]): string {
  let out = '';
  let last = 0;
  for (const p of numberedPlaceholders(query, 'postgres')) {
    const type = types[p.n - 1];
    if (type === undefined) throw new Error(`the query uses $${p.n}, beyond the ${types.length} parameters the server described`);
    out += `${query.slice(last, p.start)}((SELECT current_setting('${setting(p.n)}')::${type})::${type})`;
    last = p.end;
  }
  return out + query.slice(last);
}
