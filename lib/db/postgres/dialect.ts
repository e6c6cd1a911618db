import { quoteWith, RUN_TAG_PREFIX, type Dialect } from '../port/dialect.js';
import { pgErrorKind, pgIsMissingTable } from './errorKind.js';
import { pgDsnRules } from './dsn.js';

/** PostgreSQL's SQL text rules. */
export const postgresDialect: Dialect = {
  type: 'postgres',
  quoteIdent: (name) => quoteWith('"', name),
  placeholder: (n) => `$${n}`,
  identifiers: { max: 63, unit: 'bytes', bmpOnly: false },
  dsn: pgDsnRules,
  names: ['postgres', 'postgresql'],
  lexicon: {
    placeholders: 'dollar',
    dashCommentNeedsSpace: false,
    hashComments: false,
    nestedBlockComments: true,
    stringBackslashes: 'e-strings',
    doubleQuoted: 'identifier',
    backtickIdentifiers: false,
    mixedPlaceholders: () => 'mixes $n and ? placeholders; its db is PostgreSQL, which takes $1..$n only: write each ? as the next $n',
  },
  errorKind: pgErrorKind,
  isMissingTable: pgIsMissingTable,
  argumentProblem: (value) => (value.includes('\0') ? 'PostgreSQL text cannot hold NUL (\\u0000) characters' : undefined),
  parameters: { cannotBind: () => undefined, booleanText: String },
};

/** The application_name that marks one run's backend (see `RunningQuery.tag`). */
export function pgRunName(tag: string): string {
  return `${RUN_TAG_PREFIX}${tag}`;
}
