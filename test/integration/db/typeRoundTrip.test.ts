import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { runTask } from '../../support/runTask.js';
import { csvRow, csvRowEncoder, isFormula, jsonRow, jsonRowEncoder } from '../../../lib/results/resultsEncoding.js';
import { parseCsv } from '../../support/csv.js';
import { closeEngineDatabases, openEngineDatabases, type TestDatabase, type EngineDatabases } from '../../support/testDatabases.js';
import { type Route, TYPE_CASES } from './typeCases.js';
import { mysqlPool } from '../../../lib/db/mysql/pools.js';
import { resultsDb } from '../../../lib/db/resultsDb.js';
import { sourceDb } from '../../../lib/db/sourceDb.js';

/**
 * The type tables of docs/results.md, row by row: each row's source type goes through
 * runTask on its route, and the results column must have docs/results.md's results type,
 * hold every value exactly (compared on the results server), and read back exactly
 * through ResultsDb.readPage and the JSON/CSV encodings.
 */

const ROUTE_HEADINGS: Record<Route, string> = {
  'postgres->postgres': '### PostgreSQL → PostgreSQL',
  'mysql->mysql': '### MySQL → MySQL',
  'postgres->mysql': '### PostgreSQL → MySQL',
  'mysql->postgres': '### MySQL → PostgreSQL',
};

/** The rows of one route's table in docs/results.md: source type → results type. */
function readmeRows(route: Route): Map<string, string> {
  const readme = readFileSync(new URL('../../../docs/results.md', import.meta.url), 'utf8');
  const start = readme.indexOf(`\n${ROUTE_HEADINGS[route]}\n`);
  if (start < 0) throw new Error(`docs/results.md has no "${ROUTE_HEADINGS[route]}" table`);
  const section = readme.slice(start + 1).split(/\n#{1,4} /)[0]!;
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || !cells[1]?.startsWith('`')) continue;
    const unquote = (c: string) => c.replace(/^`|`$/g, '');
    rows.set(unquote(cells[1]), unquote(cells[2] ?? ''));
  }
  if (rows.size === 0) throw new Error(`docs/results.md's "${ROUTE_HEADINGS[route]}" table has no rows`);
  return rows;
}

let pools: DbPools;
let dbs: EngineDatabases;
/** MySQL results written with multi-row INSERTs (LOCAL INFILE off), the other loading path. */
let insertPools: DbPools;

beforeAll(async () => {
  ({ pools, dbs } = await openEngineDatabases());
  insertPools = createDbPools({ mysqlLocalInfile: false });
});

afterAll(async () => {
  await insertPools?.end();
  await closeEngineDatabases(pools, dbs);
});

function get(type: DbType): TestDatabase {
  const db = dbs[type];
  if (!db) throw new Error(`no ${type} database`);
  return db;
}

const quote = (type: DbType, name: string) => (type === 'postgres' ? `"${name}"` : `\`${name}\``);

/** The results column `v`'s SQL type as its server names it; a MariaDB JSON column (LONGTEXT + json_valid check) is `json`. */
async function sqlType(db: TestDatabase, table: string): Promise<string | null | undefined> {
  if (db.type === 'postgres') {
    const rows = await db.query(`SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'v'`, [`"${table}"`]);
    return rows[0]?.[0];
  }
  const rows = await db.query(`SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = 'v'`, [table]);
  const type = rows[0]?.[0];
  if (type !== 'longtext') return type;
  const checks = await db.query(
    `SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'v'`,
    [table],
  );
  return checks.some(([clause]) => clause === 'json_valid(`v`)') ? 'json' : type;
}

/** Every route, and MySQL results by both loading paths. */
type Loader = 'COPY' | 'LOAD DATA' | 'INSERT';
const RUNS: [Route, Loader][] = (Object.keys(TYPE_CASES) as Route[]).flatMap((route): [Route, Loader][] =>
  route.endsWith('->mysql') ? [[route, 'LOAD DATA'], [route, 'INSERT']] : [[route, 'COPY']],
);

describe.each(RUNS)('types %s by %s', (route, loader) => {
  const [sourceType, targetType] = route.split('->') as [DbType, DbType];
  const runPools = () => (loader === 'INSERT' ? insertPools : pools);
  const cases = TYPE_CASES[route];
  const readme = readmeRows(route);

  it('has a case for every docs row and a docs row for every case', () => {
    expect([...readme.keys()].sort()).toEqual(cases.map((c) => c.source).sort());
  });

  it.each(cases.map((c, i) => [c.source, c, i] as const))('%s', async (_name, c, i) => {
    // Prepare: a source table with docs/results.md's source type, filled by bound values
    const source = get(sourceType);
    const target = get(targetType);
    const run = loader === 'INSERT' ? 'ins' : 'load';
    const srcTable = `src_${targetType}_${run}_${i}`;
    const table = `results_types_${sourceType}_${targetType}_${run}_${i}`;
    const expectedType = readme.get(c.source);
    expect(expectedType, 'docs row').toBeDefined();
    await source.query(`CREATE TABLE ${quote(sourceType, srcTable)} (id int PRIMARY KEY, v ${c.source})`);
    for (const [n, row] of c.rows.entries()) {
      const values = sourceType === 'postgres' ? '($1, $2)' : '(?, ?)';
      await source.query(`INSERT INTO ${quote(sourceType, srcTable)} (id, v) VALUES ${values}`, [n + 1, row.input]);
    }

    // Act
    const query = `SELECT v FROM ${quote(sourceType, srcTable)} ORDER BY id`;
    const out = await runTask(runPools(), { source: source.db(), results: target.results(), query, args: [], table, timeoutMs: 30_000 });

    // Assess: a dry run (POST /tasks/{taskName}/dry-run) describes the very columns the run created, without running
    const described = await sourceDb(runPools(), source.db()).describeResults({ query, args: [] }, targetType);
    expect(described.map(({ sql_type: _, ...column }) => column)).toEqual(out.columns);
    const probe = `dry_${table}`;
    await target.query(`CREATE TABLE ${quote(targetType, probe)} (v ${described[0]!.sql_type})`);
    expect(await sqlType(target, probe), 'the dry run\'s sql_type').toBe(await sqlType(target, table));
    await target.query(`DROP TABLE ${quote(targetType, probe)}`);

    // Assess: the results column's type, the values on the results server, the warnings
    if (targetType === 'mysql') expect(mysqlPool(runPools(), target.results()).localInfile).toBe(loader === 'LOAD DATA');
    expect(out.count).toBe(c.rows.length);
    expect(out.warnings).toEqual(c.warnings ?? []);
    expect(await sqlType(target, table)).toBe(expectedType);
    const stored = await target.query(`SELECT ${c.probe} FROM ${quote(targetType, table)} ORDER BY ${quote(targetType, '_row')}`);
    expect(stored.map((r) => r[0])).toEqual(c.rows.map((r) => r.stored));

    // Assess: the values as the results API reads and encodes them
    const page = await resultsDb(pools, target.results()).readPage({ table, afterRow: 0, limit: 100 });
    if (!page) throw new Error('the results table is missing');
    expect(page.columns).toEqual([{ name: 'v', type: c.kind }]);
    const api: unknown[] = [];
    const json: string[] = [];
    const csv: string[] = [];
    for await (const row of page.rows) {
      json.push(jsonRow(page.columns, row.values));
      api.push((JSON.parse(json.at(-1)!) as unknown[])[0]);
      csv.push(csvRow(page.columns, row.values));
    }
    expect(api).toEqual(c.rows.map((r) => r.api));
    // The page pushed to a visitor and encoded column by column (as GET /jobs/{id}/results does): the same texts.
    const pushed = await resultsDb(pools, target.results()).readPage({ table, afterRow: 0, limit: 100 });
    const [pushedJson, pushedCsv] = [jsonRowEncoder(page.columns, 1), csvRowEncoder(page.columns, 1)];
    const texts: [string, string][] = [];
    await pushed!.each((_, fields) => texts.push([pushedJson(fields), pushedCsv(fields)]) > 0);
    expect(texts).toEqual(json.map((j, n) => [j, csv[n]]));
    // CSV carries JSON and arrays as their JSON text, booleans as true/false, the rest as their text
    // (free text a spreadsheet would run as a formula, such as PostgreSQL's interval "-00:00:01", after a ').
    const fields = parseCsv(csv.join('')).map((record) => record[0]!);
    expect(
      fields.map((f, n) => {
        if (!f.quoted && f.text === '') return null;
        const api = c.rows[n]?.api;
        if (c.kind === 'JSON' || c.kind === 'ARRAY' || c.kind === 'BOOLEAN') return JSON.parse(f.text) as unknown;
        if (c.kind === 'TEXT' && typeof api === 'string' && isFormula(api)) return f.text.startsWith("'") ? f.text.slice(1) : `(not neutralised) ${f.text}`;
        return c.kind === 'DOUBLE' && typeof api === 'number' ? Number(f.text) : f.text;
      }),
    ).toEqual(c.rows.map((r) => r.api));
  });
});
