/**
 * Glossary
 * - parameter: a typed, named input of a task, declared in its task file with
 *   `-- param: NAME TYPE [required] [default X] [max N]` after `-- name:`.
 * - value parameter: bound to the engine's placeholder (`$n` on PostgreSQL,
 *   the n-th `?` on MySQL), n being its place among the task's value parameters.
 * - identifier parameter: `identifier(a,b,...)`, a column or table name from an
 *   allowlist; never bound: quoted by the engine's rules and written where the
 *   SQL says `{{NAME}}`.
 * - canonical value: the one text form of a value (what the engine is sent and
 *   what the reuse key hashes), so `"42"` and `42` are one argument.
 */

/** The scalar types a parameter can have. */
export const SCALAR_TYPES = ['int', 'bigint', 'numeric', 'text', 'bool', 'date', 'timestamp', 'timestamptz'] as const;
/** One of {@link SCALAR_TYPES}. */
export type ScalarType = (typeof SCALAR_TYPES)[number];

/** A parameter's type: a scalar, an enum of literals, or an identifier from an allowlist. */
export type ParamType =
  | { kind: ScalarType }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'identifier'; values: readonly string[] };

/** One `-- param:` declaration of a task. */
export interface TaskParam {
  name: string;
  type: ParamType;
  /** `TYPE[]`: a list of values (never of identifiers). */
  array: boolean;
  /** `required`: a request must give it (a default makes no sense then). */
  required: boolean;
  /** The canonical value used when a request gives none (else NULL). */
  default?: string;
  /** `max N`: the most characters of a text, or the most items of a list. */
  max?: number;
  /** 1-based line of the declaration in its task file. */
  line: number;
  /**
   * `from tenant` or `from claim:NAME`: the value comes from the caller's
   * identity (its tenant, or a claim of its verified token), never from the
   * request, which cannot set or override it.
   */
  from?: CallerSource;
}

/** Where a caller-bound parameter's value comes from: the caller's tenant, or one claim of its token. */
export type CallerSource = { tenant: true } | { claim: string };

/** An argument as the engine receives it: the canonical text of a value, or NULL. */
export type JobArg = string | null;
