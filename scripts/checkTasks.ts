import type { Config } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { prepareTask } from '../lib/db/prepareTask.js';
import type { TaskRegistry } from '../lib/tasks/types.js';

export interface TaskCheck {
  task: string;
  db: string;
  ok: boolean;
  message: string;
}

/**
 * Prepares every non-raw task on each of its databases, as dungbeetle does at
 * start, and reports per task and db whether the database accepted it.
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
        try {
          await prepareTask(pools, db, task.query);
          out.push({ task: task.name, db: name, ok: true, message: 'ok' });
        } catch (err) {
          out.push({ task: task.name, db: name, ok: false, message: (err as Error).message });
        }
      }
    }
  } finally {
    await pools.end();
  }
  return out;
}

export function printCheck(checks: TaskCheck[], out: (line: string) => void = (line) => console.log(line)): void {
  const failed = checks.filter((c) => !c.ok).length;
  out(`\nTask check (${checks.length - failed} ok, ${failed} failed):`);
  for (const c of checks) out(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.task} on ${c.db}${c.ok ? (c.message === 'ok' ? '' : ` (${c.message})`) : `: ${c.message}`}`);
}
