import { decodeDsnPart, type DsnParts, type DsnRules } from '../db/port/dialect.js';
import { dialectFor } from '../db/dialects.js';
import type { Connection, DbType } from './types.js';

const DEFAULT_HOST = '127.0.0.1';

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
  const rules = dialectFor(type).dsn;
  const text = dsn.trim();
  if (text === '') throw new Error(`is empty; ${rules.form}`);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!rules.schemes.includes(scheme)) {
      throw new Error(`a ${type} DSN cannot start with ${scheme}://; ${rules.form}`);
    }
    return connection(rules, fromUrl(rules, text));
  }
  return connection(rules, rules.parseNative(text));
}

function fromUrl(rules: DsnRules, text: string): DsnParts {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`is not a valid URL (percent-encode special characters such as @ / # in the user and password); ${rules.form}`);
  }
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) params[key] = value;
  const fields = {
    host: decodeDsnPart(url.hostname.replace(/^\[(.*)\]$/, '$1'), 'host'),
    port: url.port,
    user: decodeDsnPart(url.username, 'user'),
    password: decodeDsnPart(url.password, 'password'),
    database: decodeDsnPart(url.pathname.replace(/^\//, ''), 'database name'),
  };
  for (const [field, key] of Object.entries(rules.urlFieldParams) as [keyof typeof fields, string][]) {
    const value = params[key];
    if (value !== undefined) {
      fields[field] = value;
      delete params[key];
    }
  }
  return { fields, params };
}

function connection(rules: DsnRules, { fields, params }: DsnParts): Connection {
  const user = fields.user ?? '';
  return {
    host: fields.host || DEFAULT_HOST,
    port: parsePort(fields.port, rules.defaultPort),
    user,
    password: fields.password ?? '',
    database: fields.database || (rules.databaseDefaultsToUser ? user : ''),
    params,
  };
}

function parsePort(port: string | undefined, defaultPort: number): number {
  if (port === undefined || port === '') return defaultPort;
  const value = /^\d{1,5}$/.test(port) ? Number(port) : NaN;
  if (!(value >= 1 && value <= 65535)) throw new Error(`has an invalid port "${port}" (expected 1 to 65535; write IPv6 hosts in brackets)`);
  return value;
}
