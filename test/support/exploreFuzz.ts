/**
 * Hostile query strings for GET /jobs/{id}/results (names, operators, values,
 * encodings), and the table they are sent against: the fuzz test runs a few
 * thousand, bench/exploreFuzz.ts ten thousand. Every answer must be a 400 with a
 * message or a page; anything else (a database error, a 500) is a finding.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { ResultsConfig } from '../../lib/config/types.js';
import type { DbPools } from '../../lib/db/createDbPools.js';
import { queryPairs } from '../../lib/results/explore/queryPairs.js';
import { readJobResults } from '../../lib/results/readJobResults.js';
import { finishedJob, readerDeps } from './resultsReader.js';

/** A PostgreSQL source query whose columns cover every kind a results table has, and names that need quoting. */
export const FUZZ_QUERY = `
SELECT g AS id, (g * 1.5)::numeric(10,2) AS total, g / 3.0::float8 AS ratio, 'name ' || g || CASE WHEN g % 7 = 0 THEN ' ''q'' "d" \\ %_' ELSE '' END AS name,
       g % 2 = 0 AS paid, date '2024-01-01' + g AS day, timestamp '2024-01-01' + g * interval '1 hour 0.25 sec' AS at,
       timestamptz '2024-01-01 00:00+00' + g * interval '1 min' AS atz, time '10:00' + g * interval '1 sec' AS t, g * interval '1 day' AS span,
       md5(g::text)::uuid AS u, jsonb_build_object('kind', 'k' || g % 3, 'n', g, 'a b', 'x') AS doc, decode(md5(g::text), 'hex') AS bin,
       ARRAY[g, g + 1] AS arr, ('10.0.0.' || g % 255)::inet AS ip, g AS "order", g * 2 AS "a.b", 'x' AS "sum()", NULLIF(g % 5, 0) AS maybe
FROM generate_series(1, 120) g`;

export const FUZZ_COLUMNS = ['id', 'total', 'ratio', 'name', 'paid', 'day', 'at', 'atz', 't', 'span', 'u', 'doc', 'bin', 'arr', 'ip', 'order', 'a.b', 'sum()', 'maybe'];
const RESERVED = ['select', 'order', 'limit', 'cursor', 'format', 'run'];
const OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is', 'not.eq', 'not.in', 'not.is', 'not.like', 'between', 'cs', 'EQ', '', 'not', 'not.not.eq'];

const junk = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom("'", '"', '\\', '`', ';', '--', '/*', '*/', '$1', '?', '%', '_', '*', '\0', '\u2028', '\ud83d\ude00', 'NULL', ')', '(', ',', '.', ':', '->', '->>'),
);
const sqlish = fc.constantFrom(
  "x' OR '1'='1",
  "1; DROP TABLE results_fuzz; --",
  '1) OR (1=1',
  "' UNION SELECT version() --",
  '0x41',
  "X'41'",
  '$$a$$',
  "E'\\x41'",
  '1e309',
  '-1e-400',
  'NaN',
  'Infinity',
  '99999999999999999999999999999999999999999999',
  '9223372036854775808',
  '-9223372036854775809',
  '2024-02-30',
  '2024-13-01',
  '0000-00-00',
  '2024-01-01 24:00:00',
  '2024-01-01T10:00:00+25:00',
  '25:61:61',
  '-838:59:59',
  '839:00:00',
  '100:00:00',
  '24:00:00.000001',
  '24:00',
  '1 day',
  '100000000000 days',
  '1 fortnight',
  '\\',
  'abc\\',
  '%%',
  '(a,b)',
  '("a,b",c)',
  '("unterminated',
  'true',
  'null',
  'unknown',
  '',
);
const number = fc.oneof(fc.integer().map(String), fc.double().map(String), fc.bigInt().map(String));
const value = fc.oneof(sqlish, junk, number, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.uuid());
const name = fc.oneof(
  fc.constantFrom(...FUZZ_COLUMNS),
  fc.constantFrom(...FUZZ_COLUMNS).map((c) => `"${c.replaceAll('"', '""')}"`),
  fc.constantFrom('doc->>kind', 'doc->>"a b"', 'doc->kind', 'doc->n->>x', 'doc->>', 'id->>x', '"doc"->>kind', 'doc->0->>a'),
  fc.constantFrom(...RESERVED).map((r) => `"${r}"`),
  junk,
  fc.string({ minLength: 100, maxLength: 300 }),
);
const filter = fc.tuple(name, fc.constantFrom(...OPS), value).map(([k, op, v]) => [k, op === '' ? v : `${op}.${v}`] as [string, string]);
const inList = fc.tuple(name, fc.array(fc.oneof(value, value.map((v) => `"${v}"`)), { maxLength: 5 })).map(([k, vs]) => [k, `in.(${vs.join(',')})`] as [string, string]);
const fn = fc.constantFrom('', '.sum()', '.avg()', '.min()', '.max()', '.count()', '.median()', '.sum(', '.SUM()', '()', '.desc', '.asc.nullslast', '.nullsfirst.desc', '.desc.desc');
const item = fc.oneof(fc.tuple(name, fn).map(([n, f]) => n + f), fc.constant('count()'), fc.constant('*'), junk, fc.tuple(junk, name).map(([a, n]) => `${a}:${n}`));
const list = fc.array(item, { minLength: 0, maxLength: 5 }).map((xs) => xs.join(','));
const reserved = fc.oneof(
  list.map((v) => ['select', v] as [string, string]),
  list.map((v) => ['order', v] as [string, string]),
  fc.oneof(number, junk).map((v) => ['limit', v] as [string, string]),
  fc.oneof(junk, fc.base64String({ maxLength: 80 })).map((v) => ['cursor', v] as [string, string]),
  fc.constantFrom('json', 'csv', 'xml', '').map((v) => ['format', v] as [string, string]),
  fc.oneof(junk, fc.constant('run-1')).map((v) => ['run', v] as [string, string]),
);
const pair = fc.oneof({ weight: 5, arbitrary: filter }, { weight: 1, arbitrary: inList }, { weight: 3, arbitrary: reserved });

/** A raw query string: pairs percent-encoded, or as they are, with now and then a broken encoding or too many filters. */
export const hostileQuery: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.array(pair, { maxLength: 6 }).map((ps) => ps.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')) },
  { weight: 2, arbitrary: fc.array(pair, { maxLength: 6 }).map((ps) => ps.map(([k, v]) => `${k}=${v}`).join('&')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('%', '%0', '%zz', '%00', '%C0%AF', '%ED%A0%80', '+', '&&', '==', '=', 'a=b=c', '%FF'), { maxLength: 6 }).map((xs) => `id=eq.${xs.join('')}`) },
  { weight: 1, arbitrary: fc.integer({ min: 19, max: 45 }).map((n) => Array.from({ length: n }, (_, i) => `id=gte.${i}`).join('&')) },
);

/**
 * Sends one raw query string to the results reader; resolves with what came
 * back (`page`, or `400` for a refusal: a 400, or a 409 for a cursor or run of another query), rejects with a description when the answer is
 * anything else: an error that is not a 400 with a message, or a page that
 * breaks its own limit.
 */
export async function sendHostile(pools: DbPools, results: ResultsConfig, table: string, raw: string): Promise<'page' | '400'> {
  const item = finishedJob(results, { job_id: 'fuzz', count: 120, results_table: table });
  const deps = readerDeps(pools, results, item, 'fuzz');
  try {
    const page = await readJobResults(deps, 'fuzz', { params: queryPairs(raw), prefer: 'count=exact' });
    const rows = page.format === 'json' ? (JSON.parse(page.body) as unknown[]).length : page.body.split('\r\n').length - 2;
    if (rows > 1000 || (page.count ?? 0) < 0) throw new Error(`a page of ${rows} rows, count ${page.count}`);
    return 'page';
  } catch (err) {
    const e = err as { statusCode?: number; message?: string; code?: string };
    // A 409 is a right answer to a cursor of another query or a run= of another run.
    const fine = e.statusCode === 400 || e.code === 'cursor_query_mismatch' || e.code === 'cursor_stale' || e.code === 'run_changed';
    if (fine && typeof e.message === 'string' && e.message.length > 0) return '400';
    throw new Error(`${JSON.stringify(raw)} answered ${e.statusCode ?? 'a thrown'} ${e.code ?? ''}: ${e.message}`, { cause: err });
  }
}

/** Where this machine's PostgreSQL server logs (DESIGN.md: the Debian package). */
const PG_LOG_DIR = '/var/log/postgresql';

/**
 * The ERROR lines the PostgreSQL server logged for `database` (its log names
 * the user@database of every error), or undefined when the log cannot be read
 * here. MariaDB logs no failed statements by default: there, every statement's
 * error reaches the request that sent it, which `sendHostile` refuses.
 */
export function pgLoggedErrors(database: string): string[] | undefined {
  if (!existsSync(PG_LOG_DIR)) return undefined;
  try {
    const files = readdirSync(PG_LOG_DIR).filter((f) => f.endsWith('.log'));
    if (files.length === 0) return undefined;
    return files.flatMap((f) => readFileSync(`${PG_LOG_DIR}/${f}`, 'utf8').split('\n')).filter((line) => line.includes(`@${database} ERROR`));
  } catch {
    return undefined;
  }
}
