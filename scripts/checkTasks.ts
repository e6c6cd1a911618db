import type { Config } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { sourceDb } from '../lib/db/sourceDb.js';
import type { PreparedStatement } from '../lib/db/port/engine.js';
import { describedParamProblems } from '../lib/tasks/params/describedParamProblems.js';
import { identifierVariants } from '../lib/tasks/params/identifierVariants.js';
import type { Task, TaskRegistry } from '../lib/tasks/types.js';

export interface TaskCheck {
  task: string;
  db: string;
  ok: boolean;
  message: string;
}

/**
 * Prepares every non-raw task on each of its databases, as dungbeetle does at
 * start, and reports per task and db whether the database accepted it. A task
 * with identifier parameters is prepared once per name each allows (the others
 * at their defaults), so a name the statement's source lacks (a column that is
 * not there) is reported at its declaration's file and line; where the database
 * infers its placeholders' types (PostgreSQL), a declaration whose values the
 * placeholder's type cannot read is reported at its line too.
 */
export async function checkTasks(config: Config, tasks: TaskRegistry): Promise<TaskCheck[]> {
  const pools = createDbPools();
  const out: TaskCheck[] = [];
  try {
    for (const task of tasks.tasks.values()) {
      for (const name of task.dbs) {
        const db = config.db[name]!;
        if (task.raw) {
          out.push({ task: task.name, db: name, ok: true, message: 'raw: not prepared' });
          continue;
        }
        const source = sourceDb(pools, db);
        const problems = await prepareVariants(task, (query) => source.prepare(query));
        out.push({ task: task.name, db: name, ok: problems.length === 0, message: problems.length === 0 ? 'ok' : problems.join('; ') });
      }
    }
  } finally {
    await pools.end();
  }
  return out;
}

async function prepareVariants(task: Task, prepare: (query: string) => Promise<PreparedStatement>): Promise<string[]> {
  const problems: string[] = [];
  for (const variant of identifierVariants(task)) {
    try {
      const prepared = await prepare(variant.query);
      // The declarations against the types the database inferred for their placeholders, where it tells them.
      if (!variant.param && task.params && prepared.params) {
        for (const p of describedParamProblems(task.params, prepared.params)) problems.push(`${task.file}:${p.param.line}: ${p.message}`);
      }
    } catch (err) {
      const message = (err as Error).message;
      if (!variant.param) return [message]; // the statement itself fails: its variants would say the same
      problems.push(`${task.file}:${variant.param.line}: identifier parameter "${variant.param.name}" allows "${variant.value}", which the statement cannot use: ${message}`);
    }
  }
  return problems;
}

export function printCheck(checks: TaskCheck[], out: (line: string) => void = (line) => console.log(line)): void {
  const failed = checks.filter((c) => !c.ok).length;
  out(`\nTask check (${checks.length - failed} ok, ${failed} failed):`);
  for (const c of checks) out(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.task} on ${c.db}${c.ok ? (c.message === 'ok' ? '' : ` (${c.message})`) : `: ${c.message}`}`);
}
