import { stringify } from 'smol-toml';
import type { TestDatabases } from './testDatabases.js';

/**
 * The test kit's config builder: config.toml text from plain objects, with the
 * file's own key names (`max_active`, `connect_timeout`, ...), so a test states
 * only what it needs and never repeats TOML by hand.
 */

/** One `[section]` or `[section.NAME]` of config.toml, keys as in the file. */
export type TomlSection = Record<string, string | number | boolean | string[]>;

/** config.toml's sections: `app`, `db`, `results`, `queues`, `notify`, ... */
export interface ConfigSections {
  app?: TomlSection;
  db?: Record<string, TomlSection>;
  results?: Record<string, TomlSection>;
  queues?: Record<string, TomlSection>;
  notify?: TomlSection;
  [section: string]: TomlSection | Record<string, TomlSection> | undefined;
}

/** config.toml text for `sections` (sections left `undefined` are left out). */
export function configToml(sections: ConfigSections): string {
  const present = Object.fromEntries(Object.entries(sections).filter(([, v]) => v !== undefined));
  return stringify(present);
}

/**
 * Where an e2e config's `[db.NAME]` / `[results.NAME]` lives: `'pg'` or `'my'` is this
 * file's database on the shared PostgreSQL or MariaDB server, `{ on, ...keys }` the same
 * with more keys (`max_active`, ...), and a full section (`type`, `dsn`, ...) any other
 * place (a private server, a port nothing listens on).
 */
export type E2ePlace = 'pg' | 'my' | ({ on: 'pg' | 'my' } & TomlSection) | TomlSection;

/**
 * One PostgreSQL database as both the source `main` and the results `res`, jobs kept
 * an hour (more `app` keys may be given): the in-process worlds' usual config.
 */
export const onePostgres = (dsn: string, app: TomlSection = {}): Pick<ConfigSections, 'app' | 'db' | 'results'> => ({
  app: { default_job_ttl: '1h', ...app },
  db: { main: { type: 'postgres', dsn } },
  results: { res: { type: 'postgres', dsn } },
});

/** A queue's `concurrency` and `timeout` (seconds), plus any other keys. */
export const queue = (concurrency: number, timeout = 60, keys: TomlSection = {}): TomlSection => ({ concurrency, timeout, ...keys });

/**
 * The e2e config builder: config.toml text for a file's stack, its databases named
 * by place. MySQL sources use dungbeetle's DSN form (`root:@tcp(...)/db`) and MySQL
 * results the URL form, as a dungbeetle user's file would.
 */
export function e2eConfig(
  dbs: TestDatabases,
  o: { app?: TomlSection; api?: TomlSection; db?: Record<string, E2ePlace>; results?: Record<string, E2ePlace>; queues: Record<string, TomlSection>; notify?: TomlSection },
): string {
  const place = (p: E2ePlace, mysqlDsn: string): TomlSection => {
    const { on, ...keys } = typeof p === 'string' ? { on: p } : (p as { on?: 'pg' | 'my' } & TomlSection);
    if (on === 'pg') return { type: 'postgres', dsn: dbs.pgUrl, ...keys };
    if (on === 'my') return { type: 'mysql', dsn: mysqlDsn, ...keys };
    return keys;
  };
  const places = (of: Record<string, E2ePlace> | undefined, mysqlDsn: string) =>
    of && Object.fromEntries(Object.entries(of).map(([name, p]) => [name, place(p, mysqlDsn)]));
  return configToml({ app: o.app, api: o.api, db: places(o.db, dbs.mysqlDsn), results: places(o.results, dbs.mysqlUrl), queues: o.queues, notify: o.notify });
}
