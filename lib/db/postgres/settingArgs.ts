import { pgPlaceholders } from '../../tasks/countArgs.js';

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
 * replaced by `(current_setting('sqljobber.arg_n')::type)`, `type` being the
 * parameter type the server inferred for `$n`. A COPY cannot take bound
 * parameters; this cast runs the type's input function on the argument's text,
 * exactly as binding a text parameter of that type does, so a value never
 * becomes SQL. `types[n - 1]` names `$n`'s type as `format_type(oid, -1)` does:
 * `bpchar` and `"bit"`, not `character` and `bit`, which a cast reads as
 * length 1. The parentheses keep `$1[2]` and `-$1` meaning what they meant.
 */
export function withArgsFromSettings(query: string, types: readonly string[]): string {
  let out = '';
  let last = 0;
  for (const p of pgPlaceholders(query)) {
    const type = types[p.n - 1];
    if (type === undefined) throw new Error(`the query uses $${p.n}, beyond the ${types.length} parameters the server described`);
    out += `${query.slice(last, p.start)}(current_setting('${setting(p.n)}')::${type})`;
    last = p.end;
  }
  return out + query.slice(last);
}
