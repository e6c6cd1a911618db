import { bindTask, type BindableTask } from './bindTask.js';
import type { TaskParam } from './types.js';

/** One statement to prepare: the task's SQL with one allowed name placed. */
export interface IdentifierVariant {
  query: string;
  /** The identifier parameter this variant tries a name of (absent: every identifier at its default). */
  param?: TaskParam;
  value?: string;
}

/**
 * The statements that, prepared, show whether every name an identifier
 * parameter allows fits the SQL: first the task with each identifier at its
 * default (else its first name), then, per identifier parameter, one with each
 * other name it allows. Value parameters stay placeholders. A task without
 * identifier parameters gives its SQL as written.
 */
export function identifierVariants(task: BindableTask): IdentifierVariant[] {
  const params = task.params ?? [];
  const base = params.map((p) => (p.type.kind === 'identifier' ? (p.default ?? p.type.values[0]!) : null));
  const statement = (args: (string | null)[]) => bindTask(task, args).query;
  const out: IdentifierVariant[] = [{ query: statement(base) }];
  params.forEach((p, i) => {
    if (p.type.kind !== 'identifier') return;
    for (const value of p.type.values) {
      if (value === base[i]) continue;
      out.push({ query: statement(base.map((b, j) => (j === i ? value : b))), param: p, value });
    }
  });
  return out;
}
