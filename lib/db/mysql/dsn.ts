import { decodeDsnPart, type DsnParts, type DsnRules } from '../port/dialect.js';

const MYSQL_DSN_FORM = 'expected mysql://user:password@host:3306/dbname or user:password@tcp(host:3306)/dbname';

/** Mirrors go-sql-driver/mysql ParseDSN: the last '/' starts the db name, the last '@' before it ends the credentials. */
export function parseGoMysqlDsn(text: string): DsnParts {
  const slash = text.lastIndexOf('/');
  if (slash < 0) throw new Error(`has no "/" before the database name; ${MYSQL_DSN_FORM}`);
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
    if (!netAddr.endsWith(')')) throw new Error(`has an unclosed "(" in the address; ${MYSQL_DSN_FORM}`);
    net = netAddr.slice(0, open);
    addr = netAddr.slice(open + 1, -1);
  }
  if (net === 'unix') throw new Error('uses a unix socket, which is not supported; use tcp(host:port)');
  if (!['', 'tcp', 'tcp4', 'tcp6'].includes(net)) throw new Error(`has unknown protocol "${net}"; ${MYSQL_DSN_FORM}`);
  const address = /^(?:\[([^\]]*)\]|([^:]*))(?::(.*))?$/.exec(addr);

  const rest = text.slice(slash + 1);
  const question = rest.indexOf('?');
  const database = decodeDsnPart(question < 0 ? rest : rest.slice(0, question), 'database name');
  const params: Record<string, string> = {};
  if (question >= 0) {
    for (const pair of rest.slice(question + 1).split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq < 0) throw new Error('has a parameter without "=" after the "?"');
      params[decodeDsnPart(pair.slice(0, eq), 'parameter')] = decodeDsnPart(pair.slice(eq + 1).replaceAll('+', ' '), 'parameter');
    }
  }
  return { fields: { host: address?.[1] ?? address?.[2], port: address?.[3], user, password, database }, params };
}

/** MySQL DSNs: URLs, or the Go MySQL driver's form that dungbeetle configs use. */
export const mysqlDsnRules: DsnRules = {
  defaultPort: 3306,
  schemes: ['mysql'],
  form: MYSQL_DSN_FORM,
  urlFieldParams: {},
  databaseDefaultsToUser: false,
  parseNative: parseGoMysqlDsn,
};
