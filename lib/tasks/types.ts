import type { DbType, QueueConfig } from '../config/types.js';

/** A named query from a task file. */
export interface Task {
  name: string;
  /** The SQL body, trimmed. */
  query: string;
  /** Source db names (one is picked at random per job unless the job names one). */
  dbs: string[];
  /** Results db names (one is picked at random per job). */
  results: string[];
  queue: string;
  /** `raw: 1`: not prepared/validated at start. */
  raw: boolean;
  /** Per-task statement timeout in seconds (`-- timeout:`), when set. */
  timeout?: number;
  /** The placeholder dialect of the task's dbs. */
  dialect: DbType;
  /** Number of positional arguments (`?` for mysql, highest `$n` for postgres). */
  argCount: number;
  /** Every tag as written, including ones this product does not use. */
  tags: Readonly<Record<string, string>>;
  file: string;
  line: number;
}

export interface TaskRegistry {
  tasks: ReadonlyMap<string, Task>;
  get(name: string): Task | undefined;
  /** Every queue: the config's `[queues.NAME]` and those named only by task tags. */
  queues: Readonly<Record<string, QueueConfig>>;
}
