/** The code of a `TimeBudgetError`: `classifyDbError` reads it as a timeout. */
export const TIME_BUDGET_CODE = 'SQLJOBBER_TIME_BUDGET';

/** An attempt used up its time budget outside a statement the server times itself (the results commit). */
export class TimeBudgetError extends Error {
  readonly code = TIME_BUDGET_CODE;
  constructor(what: string, budgetMs: number) {
    super(`${what} did not finish within the attempt's time budget of ${Math.round(budgetMs / 100) / 10} s`);
    this.name = 'TimeBudgetError';
  }
}

/**
 * Settles as `work` does, or rejects with a TimeBudgetError at `deadline`
 * (epoch milliseconds), whichever comes first. `work` keeps running: the caller
 * stops it (aborts the writer, which closes its connection).
 */
export function beforeDeadline<T>(work: Promise<T>, deadline: number, what: string, budgetMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeBudgetError(what, budgetMs)), Math.max(0, deadline - Date.now()));
  });
  work.catch(() => undefined);
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
