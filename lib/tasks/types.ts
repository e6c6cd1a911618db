import type { ExportOptions } from '../export/exportOptions.js';
import type { Guardrails } from '../config/guardrailValues.js';
import type { DbType, QueueConfig } from '../config/types.js';
import type { TaskParam } from './params/types.js';

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
  /** `-- orphan_after:` in seconds: a job of this task nobody asked about for this long is cancelled (wins over its queue's and `[app]`'s). */
  orphanAfter?: number;
  /** Indexes of the results table (`-- index:`, see parseIndexTag), each its column names. */
  indexes?: readonly (readonly string[])[];
  /**
   * Its guardrails: its own tags (`max_rows`, `max_result_bytes`, `max_cost`,
   * `on_limit`), else its queue's `[queues.NAME]` keys, else `[app]`'s. Empty: none.
   */
  guardrails: Readonly<Guardrails>;
  /** The placeholder dialect of the task's dbs. */
  dialect: DbType;
  /** Number of positional arguments: its parameters when it declares any, else `?` for mysql, highest `$n` for postgres. */
  argCount: number;
  /** Its `-- export:` tag: jobs of this task export their rows so unless the request says otherwise (lib/export). */
  export?: ExportOptions;
  /** Its `-- param:` declarations, in order (lib/tasks/params); absent: untyped positional string arguments, as in dungbeetle. */
  params?: readonly TaskParam[];
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
