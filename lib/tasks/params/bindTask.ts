import type { DbType } from '../../config/types.js';
import { dialectFor } from '../../db/dialects.js';
import { namedPlaceholders } from '../../db/countArgs.js';
import type { JobArg, TaskParam } from './types.js';

/** What binding needs of a task. */
export interface BindableTask {
  name: string;
  query: string;
  dialect: DbType;
  params?: readonly TaskParam[];
}

/**
 * The statement and bound values of one run of a task: each `{{name}}` replaced
 * by its identifier parameter's value, quoted by the engine's rules (each part
 * of `schema.name` on its own), and the value parameters' arguments in order.
 * A value outside the parameter's allowlist throws: no name reaches the SQL that
 * the task file does not list, whatever the job's record says. A task without
 * parameters runs as written, with its arguments as they are.
 */
export function bindTask(task: BindableTask, args: readonly JobArg[]): { query: string; args: JobArg[] } {
  const params = task.params;
  if (!params || params.length === 0) return { query: task.query, args: [...args] };
  if (args.length !== params.length) throw new Error(`task "${task.name}" takes ${params.length} argument(s), the job holds ${args.length}`);
  const names = new Map<string, string>();
  const values: JobArg[] = [];
  params.forEach((p, i) => {
    const arg = args[i] ?? null;
    if (p.type.kind !== 'identifier') {
      values.push(arg);
      return;
    }
    if (arg === null || !p.type.values.includes(arg)) throw new Error(`parameter "${p.name}" of task "${task.name}" is not one of its names`);
    names.set(p.name, arg.split('.').map((part) => dialectFor(task.dialect).quoteIdent(part)).join('.'));
  });
  let query = '';
  let last = 0;
  for (const at of namedPlaceholders(task.query, task.dialect)) {
    const name = names.get(at.name);
    if (name === undefined) throw new Error(`{{${at.name}}} of task "${task.name}" has no identifier parameter`);
    query += task.query.slice(last, at.start) + name;
    last = at.end;
  }
  return { query: query + task.query.slice(last), args: values };
}
