/**
 * Parquet exports of every row of docs/results.md's type tables, by source engine
 * (the results database plays no part in an export, so the four routes are two
 * sources: PostgreSQL and MySQL/MariaDB, each with every source type of its two
 * tables). Each column goes through the export pipeline into a Parquet part on
 * fauxqs's S3 and is read back with hyparquet, another library than the writer, at
 * the physical level (decimals as their unscaled integers, times as microseconds),
 * and must equal the source's values as the JSON lines export of the same query
 * gives them, except values Parquet cannot hold (infinite dates, MySQL's negative
 * or 24 h+ times, zero dates), which are NULL with a warning naming the column.
 */
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbType } from '../../../lib/config/types.js';
import { createDbPools, type DbPools } from '../../../lib/db/createDbPools.js';
import { sourceDb } from '../../../lib/db/sourceDb.js';
import { ExportStore } from '../../../lib/export/exportStore.js';
import { exportRows } from '../../../lib/export/exportRows.js';
import type { ExportFormat } from '../../../lib/export/exportOptions.js';
import { ensureBucket } from '../../../scripts/stack/ensureBucket.js';
import { startSqs, type LocalSqs } from '../../../scripts/stack/startSqs.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabases.js';
import { TYPE_CASES, type Route, type TypeCase } from '../db/typeCases.js';

const CONFIG = { bucket: 'sqljobber-parquet-types', prefix: 'types/', urlTtlS: 60 };
let sqs: LocalSqs;
let store: ExportStore;
let pools: DbPools;
const dbs: Partial<Record<DbType, TestDatabase>> = {};

beforeAll(async () => {
  sqs = await startSqs();
  await ensureBucket(sqs.endpoint, CONFIG, 2);
  store = new ExportStore(CONFIG, { region: 'us-east-1', sqsEndpoint: sqs.endpoint });
  pools = createDbPools();
  [dbs.postgres, dbs.mysql] = await Promise.all([createTestDatabase('postgres'), createTestDatabase('mysql')]);
}, 60_000);

afterAll(async () => {
  await pools?.end();
  await Promise.all(Object.values(dbs).map((db) => db.drop()));
  await sqs?.stop();
});

/** Every source type of an engine's two tables (its own route's rows first), once each. */
function casesFrom(engine: DbType): TypeCase[] {
  const routes = (Object.keys(TYPE_CASES) as Route[]).filter((r) => r.startsWith(`${engine}->`)).sort((a) => (a === `${engine}->${engine}` ? -1 : 1));
  const seen = new Map<string, TypeCase>();
  for (const route of routes) for (const c of TYPE_CASES[route]) if (!seen.has(c.source)) seen.set(c.source, c);
  return [...seen.values()];
}

/** A Parquet decimal's unscaled integer (two's complement, big-endian bytes). */
function unscaled(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  const bytes = v as Uint8Array;
  let n = 0n;
  for (const b of bytes) n = n * 256n + BigInt(b);
  return bytes.length > 0 && bytes[0]! >= 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n;
}

function decimalText(n: bigint, scale: number): string {
  const neg = n < 0n;
  const digits = (neg ? -n : n).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return (neg ? '-' : '') + text;
}

const pad = (n: number | bigint, w = 2) => String(n).padStart(w, '0');
const fraction = (micros: bigint) => (micros === 0n ? '' : `.${pad(micros, 6)}`.replace(/0+$/, ''));

/** PostgreSQL's form of a day: astronomical year 0 is 1 BC. */
function dateText(days: number): string {
  const d = new Date(days * 86_400_000);
  const y = d.getUTCFullYear();
  return `${pad(y > 0 ? y : 1 - y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${y > 0 ? '' : ' BC'}`;
}

function timestampText(micros: bigint): string {
  const ms = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
  const d = new Date(Number(ms));
  const rest = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  return `${dateText(Math.floor(d.getTime() / 86_400_000))} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction(rest)}`;
}

function timeText(micros: bigint): string {
  const s = micros / 1_000_000n;
  return `${pad(s / 3600n)}:${pad((s / 60n) % 60n)}:${pad(s % 60n)}${fraction(micros % 1_000_000n)}`;
}

/** A Parquet value, read at the physical level, as the JSON results answer carries the column's kind. */
function asAnswer(v: unknown, kind: string, meta: FileMetaData): unknown {
  if (v === null || v === undefined) return null;
  const element = meta.schema[1]!;
  switch (kind) {
    case 'BIGINT':
      return String(v);
    case 'DECIMAL':
      return element.type === 'BYTE_ARRAY' ? v : decimalText(unscaled(v), element.scale ?? 0);
    case 'DOUBLE':
      return Number.isFinite(v) ? v : String(v);
    case 'DATE':
      return dateText(v as number);
    case 'TIMESTAMP':
      return timestampText(v as bigint);
    case 'TIMESTAMPTZ':
      return `${timestampText(v as bigint)}+00`;
    case 'TIME':
      return timeText(v as bigint);
    case 'JSON':
    case 'ARRAY':
      return JSON.parse(Buffer.from(v as Uint8Array).toString('utf8'));
    case 'BYTES':
      return `\\x${Buffer.from(v as Uint8Array).toString('hex')}`;
    default:
      return v;
  }
}

let n = 0;
async function exportOf(engine: DbType, table: string, format: ExportFormat) {
  const exporting = exportRows(store, { dir: `${CONFIG.prefix}jobs/t${++n}/r.1/`, jobId: `t${n}`, runId: 'r', options: { format, compression: 'gzip', part_rows: 1000 } });
  const db = dbs[engine]!;
  const q = engine === 'postgres' ? `"${table}"` : `\`${table}\``;
  const out = await sourceDb(pools, db.db()).runTask({
    results: db.results(),
    query: `SELECT v FROM ${q} ORDER BY id`,
    args: [],
    table: 'unused',
    skipTable: true,
    export: exporting.open,
    timeoutMs: 30_000,
  });
  const summary = exporting.summary()!;
  expect(summary.manifest.parts).toHaveLength(1);
  const key = summary.manifest.parts[0]!.key;
  const body = Buffer.from(await (await fetch(await store.presign(key, 60))).arrayBuffer());
  return { out, summary, body };
}

describe.each(['postgres', 'mysql'] as const)('Parquet from a %s source', (engine) => {
  it.each(casesFrom(engine).map((c, i) => [c.source, c, i] as const))('%s', async (_name, c, i) => {
    const db = dbs[engine]!;
    const table = `pq_${i}`;
    await db.query(`CREATE TABLE ${engine === 'postgres' ? `"${table}"` : `\`${table}\``} (id int PRIMARY KEY, v ${c.source})`);
    for (const [k, row] of c.rows.entries()) {
      await db.query(`INSERT INTO ${engine === 'postgres' ? `"${table}"` : `\`${table}\``} (id, v) VALUES ${engine === 'postgres' ? '($1, $2)' : '(?, ?)'}`, [k + 1, row.input]);
    }
    const lines = await exportOf(engine, table, 'jsonl');
    const expected = gunzipSync(lines.body).toString('utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { v: unknown }).v);
    expect(expected).toHaveLength(c.rows.length);

    const { out, summary, body } = await exportOf(engine, table, 'parquet');
    const kind = summary.manifest.columns[0]!.type;
    const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
    const meta = parquetMetadata(buffer);
    // Read at the physical level: the decimal's unscaled integer, times in microseconds, days.
    const element = meta.schema[1]!;
    if (element.converted_type === 'DECIMAL') Object.assign(element, { converted_type: undefined, logical_type: undefined });
    const raw = await parquetReadObjects({
      file: buffer,
      metadata: meta,
      utf8: false,
      compressors: { GZIP: (input: Uint8Array) => new Uint8Array(gunzipSync(input)) },
      parsers: { timestampFromMicroseconds: (x: bigint) => x, dateFromDays: (x: number) => x } as never,
    });
    const got = raw.map((r) => asAnswer((r as { v: unknown }).v, kind, meta));
    // What Parquet cannot hold is NULL, counted in a warning naming the column.
    const unfit = expected.filter((v, k) => v !== null && got[k] === null).length;
    if (unfit > 0) {
      expect(['DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME']).toContain(kind);
      expect(out.warnings.join('\n')).toContain(`column "v": ${unfit} value(s)`);
    }
    expect(got).toEqual(expected.map((v, k) => (got[k] === null ? null : v)));
    // Every other value is there (a type table's rows are mostly ones Parquet holds; MySQL's TIME rows are mostly beyond a day).
    if (kind !== 'TIME') expect(unfit).toBeLessThan(c.rows.filter((r) => r.input !== null).length);
  });
});
