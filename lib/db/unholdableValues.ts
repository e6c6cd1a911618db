import type { Column, Row } from './types.js';

interface Rule {
  at: number;
  /** Whether a value's text is one the column cannot hold. */
  test: (v: string) => boolean;
  /** Says what was nulled, after the count. */
  what: string;
  count: number;
}

/**
 * The values a results database cannot hold, per column: each becomes NULL and is
 * counted, so the job reports it in `warnings` instead of failing (see
 * `RunTaskResult.warnings`). A writer's row transform applies it to every row.
 */
export class UnholdableValues {
  readonly #rules: Rule[] = [];

  constructor(private readonly columns: readonly Column[]) {}

  /** Column `at`'s values that `test` accepts become NULL; `what` words the warning (`3 <what>`). */
  add(at: number, test: (v: string) => boolean, what: string): void {
    this.#rules.push({ at, test, what, count: 0 });
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Nulls the row's unholdable values, in place. */
  apply(row: Row): void {
    for (const r of this.#rules) {
      const v = row[r.at];
      if (v != null && r.test(v)) {
        row[r.at] = null;
        r.count++;
      }
    }
  }

  /** One line per column and reason with values nulled: `column "x": 3 <what>`. */
  warnings(): string[] {
    return this.#rules.filter((r) => r.count > 0).map((r) => `column "${this.columns[r.at]?.name}": ${r.count} ${r.what}`);
  }
}
