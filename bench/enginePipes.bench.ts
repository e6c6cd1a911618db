/**
 * runTask on each of the four routes (pg -> pg, mysql -> mysql, pg -> mysql,
 * mysql -> pg) against the engines' own pipes: the command-line clients moving
 * the same rows as text, run as real processes,
 *
 *   PostgreSQL: psql -c "COPY (query) TO STDOUT" | psql -c "COPY t FROM STDIN"
 *   MariaDB:    mariadb --quick --batch --skip-column-names -e "query"
 *                 | mariadb --local-infile=1 -e "LOAD DATA LOCAL INFILE '/dev/stdin' INTO TABLE t ..."
 *
 * A cross route is compared with the cross pipe (the source's export client into
 * the target's load client, which read and write the same tab-separated text) and
 * with the target engine's own pipe. Both servers get the same source table
 * (bigint, decimal, text, timestamp). Every pipe's table is counted afterwards.
 * runTask's own CPU time is printed too: on a shared machine it moves much less
 * than wall time. For pg -> pg, which runTask moves in binary COPY, the target is
 * the same pipe in binary (`COPY ... (FORMAT binary)` on both sides): the fastest
 * psql can do, without the `_row` key runTask builds; the text pipe is printed for
 * reference. Every pipe loads a logged table, as the default config's results are.
 * Each round times every runTask right beside its pipe, the order swapped every
 * round; medians come with their min-max spread. Then the peak RSS of a child
 * process running only runTask, at 10,000 and at `rows` rows, per route, started as
 * a deployed worker starts (bench/deployedWorker.ts).
 *
 * Targets (1M rows): pg -> pg <= 1.2x of the binary pipe, mysql -> mysql <= 1.15x,
 * cross routes <= 1.2x; peak RSS within +64 MB from 10k rows to 1M.
 *
 * Then the end-to-end mode (bench/endToEnd.ts): each route's rows as a job through the
 * local stack, submit to the `?wait` answer of SUCCESS, beside the same pipe, with the
 * job's time broken down by its trace. Targets (1M rows): pg -> pg end to end <= 1.35x
 * of the binary pipe, mysql -> mysql <= 1.15x of its pipe.
 *
 * Run: npm run bench -- enginePipes -- [rows] [rounds] [routes] [--cpu-prof] [--no-e2e]
 *   routes: comma list of pg-pg, mysql-mysql, pg-mysql, mysql-pg (default all);
 *   --cpu-prof: the memory children also write V8 CPU profiles (their directory is printed);
 *   --no-e2e: the in-process rounds and memory only.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DbType } from '../lib/config/types.js';
import { createDbPools } from '../lib/db/createDbPools.js';
import { runTask } from '../test/support/runTask.js';
import { createTestDatabases, type TestDatabases } from '../test/support/testDatabases.js';
import { benchDb, benchQuery, benchResults } from './benchConfig.js';
import { exportCommand, loadCommand, shellPipe } from './clientPipes.js';
import { launchCommand } from './deployedWorker.js';
import { endToEnd } from './endToEnd.js';

const SMALL = 10_000;

interface Route {
  name: string;
  source: DbType;
  results: DbType;
  /** The ratio target against the route's target pipe. */
  target: number;
  /** pg -> pg is held to the binary pipe (what runTask moves), the others to the text pipe. */
  binaryTarget?: boolean;
}

const ROUTES: Route[] = [
  { name: 'pg-pg', source: 'postgres', results: 'postgres', target: 1.2, binaryTarget: true },
  { name: 'mysql-mysql', source: 'mysql', results: 'mysql', target: 1.15 },
  { name: 'pg-mysql', source: 'postgres', results: 'mysql', target: 1.2 },
  { name: 'mysql-pg', source: 'mysql', results: 'postgres', target: 1.2 },
];

const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const [rowsArg, roundsArg, routesArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const ROWS = Number(rowsArg ?? 1_000_000);
const ROUNDS = Number(roundsArg ?? 5);
const PROFILE = flags.includes('--cpu-prof');
const routeNames = routesArg ? routesArg.split(',') : ROUTES.map((r) => r.name);
const unknownRoutes = routeNames.filter((n) => !ROUTES.some((r) => r.name === n));
if (!Number.isSafeInteger(ROWS) || ROWS < 1 || !Number.isSafeInteger(ROUNDS) || ROUNDS < 1 || unknownRoutes.length > 0) {
  console.error(`usage: enginePipes.bench.ts [rows >= 1] [rounds >= 1] [${ROUTES.map((r) => r.name).join(',')}] [--cpu-prof]`);
  process.exit(2);
}
const routes = ROUTES.filter((r) => routeNames.includes(r.name));

const short = (type: DbType) => (type === 'postgres' ? 'pg' : 'mysql');
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
/** A median with its spread: `1.86 s (1.66-1.99)`. */
const withSpread = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))})`;

/** Same columns on both engines; MariaDB's DATETIME(6) is PostgreSQL's timestamp. */
const SOURCE_COLUMNS: Record<DbType, string> = {
  postgres: 'id bigint PRIMARY KEY, amount numeric(12,2), label text, at timestamp',
  mysql: 'id BIGINT PRIMARY KEY, amount DECIMAL(12,2), label TEXT, at DATETIME(6)',
};
const PIPE_COLUMNS: Record<DbType, string> = {
  postgres: 'id bigint, amount numeric(12,2), label text, at timestamp',
  mysql: 'id BIGINT, amount DECIMAL(12,2), label TEXT, at DATETIME(6)',
};

const onEngine = (db: TestDatabases, type: DbType, sql: string) => (type === 'postgres' ? db.pg(sql) : db.mysql(sql));
const quote = (type: DbType, name: string) => (type === 'postgres' ? `"${name}"` : `\`${name}\``);

async function countRows(db: TestDatabases, type: DbType, table: string): Promise<number> {
  const [row] = await onEngine(db, type, `SELECT COUNT(*) AS n FROM ${quote(type, table)}`);
  return Number(row?.n);
}

/** The same `rows` rows in `src` on both servers, checked by their first and last row. */
async function createSources(db: TestDatabases, rows: number): Promise<void> {
  await db.pg(`CREATE TABLE src (${SOURCE_COLUMNS.postgres})`);
  await db.pg(
    `INSERT INTO src SELECT g, (g * 1.37)::numeric(12,2), md5(g::text) || ' ' || g, timestamp '2024-01-01' + g * interval '1.000123 second'
     FROM generate_series(1, $1) g`,
    [rows],
  );
  await db.pg('VACUUM ANALYZE src');
  await db.mysql(`CREATE TABLE src (${SOURCE_COLUMNS.mysql})`);
  // MariaDB's sequence engine: seq_1_to_N is a table of 1..N (N validated above as an integer).
  await db.mysql(
    `INSERT INTO src SELECT seq, seq * 1.37, CONCAT(MD5(seq), ' ', seq), TIMESTAMP('2024-01-01') + INTERVAL seq * 1000123 MICROSECOND
     FROM seq_1_to_${rows}`,
  );
  await db.mysql('ANALYZE TABLE src');
  const pgEnds = await db.pg(
    `SELECT id::text AS id, amount::text AS amount, label, to_char(at, 'YYYY-MM-DD HH24:MI:SS.US') AS at FROM src WHERE id IN (1, $1) ORDER BY id`,
    [rows],
  );
  const myEnds = await db.mysql(`SELECT CAST(id AS CHAR) AS id, CAST(amount AS CHAR) AS amount, label, CAST(at AS CHAR) AS at FROM src WHERE id IN (1, ?) ORDER BY id`, [rows]);
  if (JSON.stringify(pgEnds) !== JSON.stringify(myEnds)) {
    throw new Error(`the two sources differ: ${JSON.stringify(pgEnds)} against ${JSON.stringify(myEnds)}`);
  }
}

/** One pipe from `source`'s export client into `results`' load client; the table is counted, then dropped. */
async function pipeOnce(db: TestDatabases, source: DbType, results: DbType, table: string, binary = false): Promise<number> {
  await onEngine(db, results, `CREATE TABLE ${table} (${PIPE_COLUMNS[results]})`);
  const ms = await shellPipe(exportCommand(source, db.name, ROWS, binary), loadCommand(results, db.name, table, binary));
  const loaded = await countRows(db, results, table);
  await onEngine(db, results, `DROP TABLE ${table}`);
  if (loaded !== ROWS) throw new Error(`${short(source)} | ${short(results)} pipe loaded ${loaded} rows, expected ${ROWS}`);
  return ms;
}

/** A run's wall time and this process's CPU time (user + system) during it, in ms. */
interface Timing {
  ms: number;
  cpuMs: number;
}

/** One runTask through fresh pools; the results table is counted, then dropped. */
async function runTaskOnce(db: TestDatabases, route: Route, table: string): Promise<Timing> {
  const pools = createDbPools();
  let timing: Timing;
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const out = await runTask(pools, {
      source: benchDb(route.source, db.name),
      results: benchResults(route.results, db.name),
      query: benchQuery(route.source),
      args: [String(ROWS)],
      table,
      timeoutMs: 600_000,
    });
    const used = process.cpuUsage(cpu);
    timing = { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
    if (out.count !== ROWS) throw new Error(`runTask ${route.name} wrote ${out.count} rows, expected ${ROWS}`);
  } finally {
    await pools.end();
  }
  const stored = await countRows(db, route.results, table);
  await onEngine(db, route.results, `DROP TABLE ${quote(route.results, table)}`);
  if (stored !== ROWS) throw new Error(`runTask ${route.name} stored ${stored} rows, expected ${ROWS}`);
  return timing;
}

interface ChildResult {
  rows: number;
  ms: number;
  maxRssKb: number;
}

/** runTask alone in a child process, for its peak RSS; its table is dropped afterwards. */
async function childRun(db: TestDatabases, route: Route, rows: number, profileDir?: string): Promise<ChildResult> {
  const script = path.join(import.meta.dirname, 'runTaskChild.ts');
  const table = `mem_${route.name.replace('-', '_')}_${rows}`;
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-name', `${route.name}-${rows}.cpuprofile`] : [];
  const result = await new Promise<ChildResult>((resolve, reject) => {
    // As a deployed worker starts (bench/deployedWorker.ts): its young generation is most of what grows with the rows.
    const [command, args] = launchCommand('deployed', [...profile, '--import', 'tsx', script, route.source, route.results, db.name, String(rows), table]);
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`runTask child (${route.name}) exited with ${code}`))));
  });
  if (result.rows !== rows) throw new Error(`runTask child ${route.name} wrote ${result.rows} rows, expected ${rows}`);
  await onEngine(db, route.results, `DROP TABLE ${quote(route.results, table)}`);
  return result;
}

interface Figures {
  route: Route;
  pipe: number;
  pipes: number[];
  tasks: number[];
  task: number;
  /** runTask's own CPU time (the machine is shared: wall times are noisy, CPU times much less). */
  cpu: number;
  small: ChildResult;
  large: ChildResult;
}

function printTable(figures: Figures[], ownPipes: Map<DbType, number>): void {
  const rows = figures.map(({ route, pipe, pipes, tasks, task, cpu, small, large }) => {
    const ratio = task / pipe;
    const ratios = tasks.map((t, i) => t / pipes[i]!);
    const own = ownPipes.get(route.results);
    const cross = route.source !== route.results;
    const delta = (large.maxRssKb - small.maxRssKb) / 1024;
    return [
      `${short(route.source)} -> ${short(route.results)}`,
      withSpread(tasks),
      fmt(cpu),
      `${withSpread(pipes)} (${short(route.source)}|${short(route.results)}${route.binaryTarget ? ' binary' : ''})`,
      `${ratio.toFixed(2)}x ${ratio <= route.target ? 'MET' : 'NOT MET'} (<= ${route.target}x; per round ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)})`,
      cross && own !== undefined ? `${(task / own).toFixed(2)}x (${short(route.results)}|${short(route.results)} ${fmt(own)})` : '',
      `${Math.round(ROWS / (task / 1000)).toLocaleString('en-US')}/s`,
      mb(small.maxRssKb),
      `${mb(large.maxRssKb)} in ${fmt(large.ms)}`,
      `${delta >= 0 ? '+' : ''}${delta.toFixed(0)} MB ${delta <= 64 ? 'MET' : 'NOT MET'}`,
    ];
  });
  const head = ['route', 'runTask (min-max)', 'its CPU', 'pipe', 'runTask/pipe', 'vs target pipe', 'runTask rows', `RSS ${SMALL / 1000}k`, `RSS ${ROWS.toLocaleString('en-US')}`, 'RSS diff (<= 64)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
}

async function main(): Promise<void> {
  const db = await createTestDatabases('sqljobber_bench');
  console.log(`node ${process.version}; scratch database ${db.name} on both servers; ${ROWS.toLocaleString('en-US')} rows x 4 columns, ${ROUNDS} round(s)`);
  try {
    const setupStarted = performance.now();
    await createSources(db, Math.max(ROWS, SMALL));
    console.log(`source tables ready in ${fmt(performance.now() - setupStarted)}`);

    // Each route's own pipe; a cross route also needs its target engine's own pipe.
    const pipes = new Map<string, { source: DbType; results: DbType; ms: number[] }>();
    const addPipe = (source: DbType, results: DbType) => {
      const key = `${source}|${results}`;
      if (!pipes.has(key)) pipes.set(key, { source, results, ms: [] });
    };
    for (const r of routes) {
      addPipe(r.source, r.results);
      if (r.source !== r.results) addPipe(r.results, r.results);
    }
    // Warm both servers' caches with one untimed export each.
    for (const type of new Set(routes.flatMap((r) => [r.source, r.results]))) await pipeOnce(db, type, type, 'pipe_warm');

    const taskMs = new Map<string, Timing[]>(routes.map((r) => [r.name, []]));
    const binaryPipeMs: number[] = [];
    const pgToPg = routes.some((r) => r.name === 'pg-pg');
    for (let round = 0; round < ROUNDS; round++) {
      const line: string[] = [];
      // Each runTask right beside its own pipe, their order swapped every round, so a
      // machine that slows down or speeds up during the run weighs on both alike.
      const steps: (() => Promise<void>)[] = [];
      const pipeStep = (p: { source: DbType; results: DbType; ms: number[] }) => async () => {
        const ms = await pipeOnce(db, p.source, p.results, `pipe_${round}`);
        p.ms.push(ms);
        line.push(`${short(p.source)}|${short(p.results)} ${fmt(ms)}`);
      };
      const binaryStep = async () => {
        const ms = await pipeOnce(db, 'postgres', 'postgres', `pipe_binary_${round}`, true);
        binaryPipeMs.push(ms);
        line.push(`pg|pg binary ${fmt(ms)}`);
      };
      const taskStep = (r: Route) => async () => {
        const timing = await runTaskOnce(db, r, `results_bench_${round}`);
        taskMs.get(r.name)!.push(timing);
        line.push(`runTask ${r.name} ${fmt(timing.ms)} (CPU ${fmt(timing.cpuMs)})`);
      };
      const done = new Set<string>();
      for (const r of routes) {
        const own = [pipeStep(pipes.get(`${r.source}|${r.results}`)!)];
        if (r.name === 'pg-pg') own.push(binaryStep);
        const pair = [...own.filter((_, i) => i > 0 || !done.has(`${r.source}|${r.results}`)), taskStep(r)];
        done.add(`${r.source}|${r.results}`);
        steps.push(...(round % 2 === 0 ? pair : pair.reverse()));
      }
      // The target engines' own pipes of the cross routes that no route of their own timed.
      for (const p of pipes.values()) if (!done.has(`${p.source}|${p.results}`)) steps.push(pipeStep(p));
      for (const step of steps) await step();
      console.log(`round ${round + 1}: ${line.join(', ')}`);
    }

    const profileDir = PROFILE ? mkdtempSync(path.join(tmpdir(), 'sqljobber-prof-')) : undefined;
    const figures: Figures[] = [];
    for (const route of routes) {
      const small = await childRun(db, route, SMALL);
      const large = await childRun(db, route, ROWS, profileDir);
      figures.push({
        route,
        pipe: median(route.binaryTarget ? binaryPipeMs : pipes.get(`${route.source}|${route.results}`)!.ms),
        pipes: route.binaryTarget ? binaryPipeMs : pipes.get(`${route.source}|${route.results}`)!.ms,
        tasks: taskMs.get(route.name)!.map((t) => t.ms),
        task: median(taskMs.get(route.name)!.map((t) => t.ms)),
        cpu: median(taskMs.get(route.name)!.map((t) => t.cpuMs)),
        small,
        large,
      });
    }
    const ownPipes = new Map<DbType, number>();
    for (const p of pipes.values()) if (p.source === p.results) ownPipes.set(p.source, median(p.ms));

    console.log('');
    console.log(`== runTask against the clients' pipe into logged tables, median (min-max) of ${ROUNDS} round(s); peak RSS of a child running only runTask ==`);
    printTable(figures, ownPipes);
    const pgTask = figures.find((f) => f.route.name === 'pg-pg')?.task;
    if (pgTask !== undefined) {
      const text = median(pipes.get('postgres|postgres')!.ms);
      console.log(`\nFor reference: pg|pg in text COPY ${withSpread(pipes.get('postgres|postgres')!.ms)}; runTask pg -> pg ${(pgTask / text).toFixed(2)}x of it`);
    }
    if (profileDir) console.log(`\nCPU profiles of the ${ROWS.toLocaleString('en-US')}-row children: ${profileDir}`);

    // The same rows as jobs through the local stack, each beside the pipe its route is held to.
    if (!flags.includes('--no-e2e')) {
      console.log('');
      await endToEnd(
        routes.map((r) => {
          const binary = r.binaryTarget === true;
          return {
            name: r.name,
            source: r.source,
            results: r.results,
            pipe: () => pipeOnce(db, r.source, r.results, 'pipe_e2e', binary),
            pipeLabel: `${short(r.source)}|${short(r.results)}${binary ? ' binary' : ''}`,
          };
        }),
        { database: db.name, rows: ROWS, rounds: ROUNDS },
      );
    }
  } finally {
    await db.drop();
  }
}

await main();
