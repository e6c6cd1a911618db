import type { Connection, DbType } from './types.js';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT: Record<DbType, number> = { postgres: 5432, mysql: 3306 };
const URL_SCHEMES: Record<DbType, string[]> = { postgres: ['postgres', 'postgresql'], mysql: ['mysql'] };
const FORMS: Record<DbType, string> = {
  postgres: 'expected postgres://user:password@host:5432/dbname or key=value pairs (host=... port=... dbname=...)',
  mysql: 'expected mysql://user:password@host:3306/dbname or user:password@tcp(host:3306)/dbname',
};

/**
 * Parses a database DSN into connection settings.
 *
 * Accepts `postgres://` / `postgresql://` and `mysql://` URLs, libpq `key=value`
 * strings (PostgreSQL) and the Go MySQL driver form `user:pass@tcp(host:3306)/db?x=y`
 * that dungbeetle configs use. Missing parts default to host 127.0.0.1 and port
 * 5432 / 3306. Parameters this type has no field for land in `params`.
 *
 * @throws Error whose message says what is wrong, never echoing the DSN (it may
 *   hold a password); the caller prefixes the key path.
 */
export function parseDsn(type: DbType, dsn: string): Connection {
  const text = dsn.trim();
  if (text === '') throw new Error(`is empty; ${FORMS[type]}`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!URL_SCHEMES[type].includes(scheme)) {
      throw new Error(`a ${type} DSN cannot start with ${scheme}://; ${FORMS[type]}`);
    }
    return fromUrl(type, text);
  }
  return type === 'postgres' ? fromKeyValues(text) : fromGoMysql(text);
}

function fromUrl(type: DbType, text: string): Connection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`is not a valid URL (percent-encode special characters such as @ / # in the user and password); ${FORMS[type]}`);
  }
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const fields = {
    host: decode(url.hostname.replace(/^\[(.*)\]$/, '$1'), 'host'),
    port: url.port,
    user: decode(url.username, 'user'),
    password: decode(url.password, 'password'),
    database: decode(url.pathname.replace(/^\//, ''), 'database name'),
  };
  // libpq lets the query string set connection fields too (postgres:///db?host=/run/postgresql).
  if (type === 'postgres') {
    const mapped = { host: 'host', port: 'port', user: 'user', password: 'password', database: 'dbname' } as const;
    for (const [field, key] of Object.entries(mapped) as [keyof typeof mapped, string][]) {
      const value = params[key];
      if (value !== undefined) {
        fields[field] = value;
        delete params[key];
      }
    }
  }
  return connection(type, fields, params);
}

function fromKeyValues(text: string): Connection {
  const values: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*/y;
  let i = 0;
  while (/\S/.test(text.slice(i))) {
    re.lastIndex = i;
    const match = re.exec(text);
    if (match === null) throw new Error(`is not a list of key=value pairs; ${FORMS.postgres}`);
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
  return connection('postgres', { host: host ?? hostaddr, port, user, password, database: dbname }, params);
}

/** Mirrors go-sql-driver/mysql ParseDSN: the last '/' starts the db name, the last '@' before it ends the credentials. */
function fromGoMysql(text: string): Connection {
  const slash = text.lastIndexOf('/');
  if (slash < 0) throw new Error(`has no "/" before the database name; ${FORMS.mysql}`);
  const head = text.slice(0, slash);
  const at = head.lastIndexOf('@');
  const credentials = at < 0 ? '' : head.slice(0, at);
  const colon = credentials.indexOf(':');
  const user = colon < 0 ? credentials : credentials.slice(0, colon);
  const password = colon < 0 ? '' : credentials.slice(colon + 1);

  const netAddr = head.slice(at + 1);
  const open = netAddr.indexOf('(');
  let net = netAddr;
  let addr = '';
  if (open >= 0) {
    if (!netAddr.endsWith(')')) throw new Error(`has an unclosed "(" in the address; ${FORMS.mysql}`);
    net = netAddr.slice(0, open);
    addr = netAddr.slice(open + 1, -1);
  }
  if (net === 'unix') throw new Error('uses a unix socket, which is not supported; use tcp(host:port)');
  if (!['', 'tcp', 'tcp4', 'tcp6'].includes(net)) throw new Error(`has unknown protocol "${net}"; ${FORMS.mysql}`);
  const address = /^(?:\[([^\]]*)\]|([^:]*))(?::(.*))?$/.exec(addr);

  const rest = text.slice(slash + 1);
  const question = rest.indexOf('?');
  const database = decode(question < 0 ? rest : rest.slice(0, question), 'database name');
  const params: Record<string, string> = {};
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new Error('has a parameter without "=" after the "?"');
      params[decode(pair.slice(0, eq), 'parameter')] = decode(pair.slice(eq + 1).replaceAll('+', ' '), 'parameter');
    }
  }
  return connection('mysql', { host: address?.[1] ?? address?.[2], port: address?.[3], user, password, database }, params);
}

function connection(
  type: DbType,
  fields: { host?: string; port?: string; user?: string; password?: string; database?: string },
  params: Record<string, string>,
): Connection {
  const user = fields.user ?? '';
  return {
    host: fields.host || DEFAULT_HOST,
    port: parsePort(fields.port, type),
    user,
    password: fields.password ?? '',
    // libpq connects to the database named after the user when none is given; MySQL has no default.
    database: fields.database || (type === 'postgres' ? user : ''),
    params,
  };
}

function parsePort(port: string | undefined, type: DbType): number {
  if (port === undefined || port === '') return DEFAULT_PORT[type];
  const value = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(value >= 1 && value <= 65535)) throw new Error(`has an invalid port "${port}" (expected 1 to 65535; write IPv6 hosts in brackets)`);
  return value;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`has a badly percent-encoded ${what}`);
  }
}
