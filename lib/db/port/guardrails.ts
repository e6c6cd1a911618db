/**
 * Guardrails of one run (a task's `max_rows`, `max_result_bytes`, `max_cost` and
 * `on_limit` tags, or their config defaults; see docs/tasks.md).
 */

/** What a run does when its result passes `maxRows` or `maxBytes`. */
export type OnLimit = 'fail' | 'truncate';

/** The result limits a source reader applies as rows arrive. */
export interface ResultLimits {
  /** The most rows the results table may get. */
  maxRows?: number;
  /** No row starts once more than this many bytes were handed to the results writer. */
  maxBytes?: number;
  /**
   * Hand out the rows before a limit (`on_limit: truncate`). Otherwise the limit is
   * answered at once, rows still buffered dropped: the run fails anyway, and writing
   * them would only delay the cancel.
   */
  keepRows?: boolean;
  /** Told once, the moment a limit is reached (a run that fails does not wait for a write in flight). */
  onReached?: (limit: GuardrailExceeded) => void;
}

/** A run's result limits and what passing one does. */
export interface RunLimits extends ResultLimits {
  /** `fail` (the default): the run fails and leaves no table; `truncate`: the rows before the limit become the table. */
  onLimit?: OnLimit;
}

/** Which guardrail stopped a job. */
export type GuardrailName = 'max_rows' | 'max_result_bytes' | 'max_cost';

/**
 * A job stopped by one of its guardrails: its result passed a limit (the source
 * query was stopped), or the planner's estimate was over `max_cost` (it never
 * ran). Deterministic: retrying the same query would stop again, so the job ends
 * FAILURE at once.
 */
export class GuardrailExceeded extends Error {
  readonly guardrail: GuardrailName;
  readonly limit: number;
  /**
   * A run stopped by a result limit (its source connection already closed): the
   * query's cancel on the server and the temporary table's drop, still under way
   * when the error is thrown so the job's FAILURE is not held up by them; await it
   * before the work ends. Never rejects.
   */
  cleanup?: Promise<void>;

  constructor(guardrail: GuardrailName, limit: number, message: string) {
    super(message);
    this.name = 'GuardrailExceeded';
    this.guardrail = guardrail;
    this.limit = limit;
  }
}

/** The error a reader gives once a result limit is reached and every row before it was handed out. */
export function resultLimitReached(guardrail: 'max_rows' | 'max_result_bytes', limit: number): GuardrailExceeded {
  const what = guardrail === 'max_rows' ? `more than ${limit} rows` : `more than ${limit} bytes`;
  return new GuardrailExceeded(
    guardrail,
    limit,
    `the result has ${what} (${guardrail} = ${limit}): the job stopped reading and cancelled its query; ` +
      `raise ${guardrail}, narrow the query, or set "-- on_limit: truncate" to keep the first rows`,
  );
}

/** The warning of a run whose result was cut at a limit (`on_limit: truncate`). */
export function truncationWarning(guardrail: 'max_rows' | 'max_result_bytes', limit: number, rows: number): string {
  return `truncated: the result passed ${guardrail} = ${limit}; the table holds its first ${rows} rows and the query was cancelled`;
}
