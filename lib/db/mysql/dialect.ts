import { quoteWith, RUN_TAG_PREFIX, type Dialect } from '../port/dialect.js';
import { mysqlErrorKind, mysqlIsMissingTable } from './errorKind.js';
import { mysqlDsnRules } from './dsn.js';

/** MySQL's and MariaDB's SQL text rules. */
export const mysqlDialect: Dialect = {
  type: 'mysql',
  quoteIdent: (name) => quoteWith('`', name),
  placeholder: () => '?',
  identifiers: { max: 64, unit: 'chars', bmpOnly: true },
  dsn: mysqlDsnRules,
  names: ['mysql'],
  lexicon: {
    placeholders: 'question',
    dashCommentNeedsSpace: true,
    hashComments: true,
    nestedBlockComments: false,
    stringBackslashes: 'always',
    doubleQuoted: 'string',
    backtickIdentifiers: true,
    mixedPlaceholders: (foreign) => `mixes ? and $n placeholders (${foreign}); its db is MySQL, which takes ? only: write each $n as ? in argument order`,
  },
  errorKind: mysqlErrorKind,
  isMissingTable: mysqlIsMissingTable,
  argumentProblem: () => undefined,
  parameters: {
    cannotBind: (kind, array) =>
      array
        ? 'MySQL cannot bind a list; use one value, or several parameters'
        : kind === 'timestamptz'
          ? 'MySQL has no timestamptz; use timestamp (and convert with CONVERT_TZ in the SQL)'
          : undefined,
    booleanText: (value) => (value ? '1' : '0'),
  },
};

/** MariaDB and MySQL differ in their statement timeout variable. */
export type MysqlFlavour = 'mariadb' | 'mysql';

/** The comment that marks a run's statement in the process list (see `RunningQuery.tag`). */
export function mysqlRunComment(tag: string): string {
  return `/* ${RUN_TAG_PREFIX}${tag} */`;
}

/**
 * The session variable holding the server-side statement timeout, and its value
 * for `timeoutMs`: MariaDB's `max_statement_time` in seconds (fractions allowed,
 * every statement), MySQL's `max_execution_time` in milliseconds (SELECT only).
 */
export function mysqlTimeoutSetting(flavour: MysqlFlavour, timeoutMs: number): { name: string; value: string } {
  const ms = Math.max(1, Math.floor(timeoutMs));
  return flavour === 'mariadb' ? { name: 'max_statement_time', value: (ms / 1000).toFixed(3) } : { name: 'max_execution_time', value: String(ms) };
}

/** One SELECT with its own statement timeout, without touching the session. */
export function mysqlTimedSelect(flavour: MysqlFlavour, timeoutMs: number, select: string): string {
  const { name, value } = mysqlTimeoutSetting(flavour, timeoutMs);
  return flavour === 'mariadb' ? `SET STATEMENT ${name} = ${value} FOR ${select}` : select.replace(/^SELECT /, `SELECT /*+ MAX_EXECUTION_TIME(${value}) */ `);
}
