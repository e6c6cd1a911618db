import type { Column, Row } from '../port/types.js';

interface Rule {
  at: number;
  /** The value to store instead (null: NULL), or undefined to keep it. */
  fix: (v: string) => string | null | undefined;
  /** Says what was changed, after the count. */
  what: string;
  count: number;
}

/**
 * The values a results database cannot hold as they are, per column: each is
 * stored as NULL (or, where the database holds a near value, as that: a number
 * rounded to the column's scale) and counted, so the job reports it in
 * `warnings` instead of failing (see `RunTaskResult.warnings`). A writer's row
 * transform applies it to every row; rules of one column run in the order added.
 */
export class UnholdableValues {
  readonly #rules: Rule[] = [];

  constructor(private readonly columns: readonly Column[]) {}

  /** Column `at`'s values that `test` accepts become NULL; `what` words the warning (`3 <what>`). */
  add(at: number, test: (v: string) => boolean, what: string): void {
    this.change(at, (v) => (test(v) ? null : undefined), what);
  }

  /** Column `at`'s values for which `fix` returns a value (or null) are replaced by it. */
  change(at: number, fix: (v: string) => string | null | undefined, what: string): void {
    this.#rules.push({ at, fix, what, count: 0 });
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Replaces the row's unholdable values, in place. */
  apply(row: Row): void {
    for (const r of this.#rules) {
      const v = row[r.at];
      if (v == null) continue;
      const fixed = r.fix(v);
      if (fixed !== undefined) {
        row[r.at] = fixed;
        r.count++;
      }
    }
  }

  /** One line per column and reason with values changed: `column "x": 3 <what>`. */
  warnings(): string[] {
    return this.#rules.filter((r) => r.count > 0).map((r) => `column "${this.columns[r.at]?.name}": ${r.count} ${r.what}`);
  }
}
