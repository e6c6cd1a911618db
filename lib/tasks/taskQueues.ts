import { queueDefaults } from '../config/loadConfig.js';
import { DEFAULT_QUEUE, QUEUE_NAME, QUEUE_NAME_RULE, type Config, type QueueConfig } from '../config/types.js';
import type { ParsedTask } from './parseTaskFile.js';

const MAX_CONCURRENCY = 1000;
/** dungbeetle reads `conc`; its own sample files write `concurrency`. Both are read. */
const CONCURRENCY_TAGS = ['conc', 'concurrency'] as const;

/** The queues of the config and its tasks, and the queue each task runs on. */
export interface TaskQueues {
  /** By name, without a prototype: a queue named "constructor" is looked up, not inherited. */
  queues: Record<string, QueueConfig>;
  /** The task's queue, or undefined when it has none (already reported). */
  queueOf: Map<ParsedTask, string | undefined>;
}

/**
 * Works out every queue, as dungbeetle does: a task's `queue` tag names a queue
 * that exists without a `[queues.NAME]` section, with the worker concurrency of
 * the task's `conc` (or `concurrency`) tag, else the default. A `[queues.NAME]`
 * section wins: its timeout always, its concurrency when it sets one. A task
 * without a `queue` tag runs on the only `[queues.NAME]`, or on `sqljob_queue`
 * (which then exists even if no section declares it).
 *
 * Two tasks that give one queue different concurrencies are a problem naming both.
 *
 * @param problem receives each problem with the `file:line` of the task it is about.
 */
export function taskQueues(config: Config, parsed: readonly ParsedTask[], problem: (where: string, message: string) => void): TaskQueues {
  const sections = Object.values(config.queues).filter((q) => q.declaredBy !== 'default');
  const queues: Record<string, QueueConfig> = Object.create(null);
  for (const q of sections) queues[q.name] = { ...q };
  const firstTag = new Map<string, { concurrency: number; where: string }>();
  const queueOf = new Map<ParsedTask, string | undefined>();
  const declare = (name: string, declaredBy: 'tasks' | 'default') => {
    queues[name] ??= { name, ...queueDefaults(), declaredBy };
  };

  for (const task of parsed) {
    const where = `${task.file}:${task.line}`;
    const say = (message: string) => problem(where, message);
    const concurrency = readConcurrency(task.tags, say);
    let name: string | undefined;
    if (task.tags.queue !== undefined) {
      name = task.tags.queue;
      if (QUEUE_NAME.test(name)) declare(name, 'tasks');
      else {
        say(`invalid queue name "${name}": ${QUEUE_NAME_RULE} (it names an SQS queue and a worker function)`);
        name = undefined;
      }
    } else if (sections.length === 1) {
      name = sections[0]!.name;
    } else if (sections.length === 0 || sections.some((q) => q.name === DEFAULT_QUEUE)) {
      name = DEFAULT_QUEUE;
      declare(name, 'default');
    } else {
      say(`no queue: add "-- queue: <name>" (the config declares ${sections.map((q) => `[queues.${q.name}]`).join(', ')})`);
    }
    queueOf.set(task, name);
    if (name === undefined || concurrency === undefined || concurrency === null) continue;

    const first = firstTag.get(name);
    if (first) {
      if (first.concurrency !== concurrency) {
        say(
          `queue "${name}" gets concurrency ${concurrency} here but ${first.concurrency} at ${first.where}; ` +
            `give every task on a queue the same "-- conc:", or set it once in [queues.${name}]`,
        );
      }
      continue;
    }
    firstTag.set(name, { concurrency, where });
    const queue = queues[name]!;
    if (queue.concurrencyFrom !== 'config') Object.assign(queue, { concurrency, concurrencyFrom: 'tag' });
  }
  // A config without [queues] and without tasks still has its one queue.
  if (Object.keys(queues).length === 0) declare(DEFAULT_QUEUE, 'default');
  return { queues, queueOf };
}

/** The task's `conc` / `concurrency` tag: a number, undefined when absent, null when invalid (reported). */
function readConcurrency(tags: Readonly<Record<string, string>>, say: (message: string) => void): number | undefined | null {
  let found: { tag: string; value: number } | undefined;
  for (const tag of CONCURRENCY_TAGS) {
    const text = tags[tag];
    if (text === undefined) continue;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(value >= 1 && value <= MAX_CONCURRENCY)) {
      say(`tag "${tag}" must be a whole number from 1 to ${MAX_CONCURRENCY} (got "${text}")`);
      return null;
    }
    if (found && found.value !== value) {
      say(`tags "${found.tag}" (${found.value}) and "${tag}" (${value}) disagree; keep one`);
      return null;
    }
    found = { tag, value };
  }
  return found?.value;
}
