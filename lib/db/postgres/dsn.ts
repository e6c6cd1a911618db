import type { DsnParts, DsnRules } from '../port/dialect.js';

const PG_DSN_FORM = 'expected postgres://user:password@host:5432/dbname or key=value pairs (host=... port=... dbname=...)';

/** libpq `key=value` pairs (values may be single-quoted, backslash escapes). */
export function parseKeyValueDsn(text: string): DsnParts {
  const values: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*/y;
  let i = 0;
  while (/\S/.test(text.slice(i))) {
    re.lastIndex = i;
    const match = re.exec(text);
    if (match === null) throw new Error(`is not a list of key=value pairs; ${PG_DSN_FORM}`);
    const key = match[1]!;
    i = re.lastIndex;
    let value = '';
    if (text[i] === "'") {
      i++;
      while (text[i] !== "'") {
        if (i >= text.length) throw new Error(`has an unterminated quoted value for "${key}"`);
        if (text[i] === '\\') i++;
        value += text[i] ?? '';
        i++;
      }
      i++;
    } else {
      while (i < text.length && !/\s/.test(text[i]!)) {
        if (text[i] === '\\') i++;
        value += text[i] ?? '';
        i++;
      }
    }
    values[key] = value;
  }
  const { host, hostaddr, port, user, password, dbname, ...params } = values;
  return { fields: { host: host ?? hostaddr, port, user, password, database: dbname }, params };
}

/** PostgreSQL DSNs: URLs whose query string may set connection fields (as libpq's), or key=value pairs. */
export const pgDsnRules: DsnRules = {
  defaultPort: 5432,
  schemes: ['postgres', 'postgresql'],
  form: PG_DSN_FORM,
  // libpq lets the query string set connection fields too (postgres:///db?host=/run/postgresql).
  urlFieldParams: { host: 'host', port: 'port', user: 'user', password: 'password', database: 'dbname' },
  // libpq connects to the database named after the user when none is given.
  databaseDefaultsToUser: true,
  parseNative: parseKeyValueDsn,
};
