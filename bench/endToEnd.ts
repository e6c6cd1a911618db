/**
 * The engine pipes bench's end-to-end mode: the same rows as a job through the local
 * stack (`npm start`'s parts: the HTTP API under serverless offline, the SQS bridge,
 * the worker), from `POST /tasks/{task}/jobs` to the `GET /jobs/{id}?wait=20` that
 * answers SUCCESS, each round beside the route's pipe. The worker's trace spans
 * (exported as OTLP/HTTP JSON to a receiver in this process) break each job's time
 * down: submit, queue wait, claim, source query (first to last row, overlapping the
 * results write), results write, index build and swap, then what is left until the
 * answer (the final write, and the wait's next read).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DbType } from '../lib/config/types.js';
import { startLocalStack } from '../scripts/localStack.js';
import { freePort } from '../scripts/stack/freePort.js';
import { BENCH_SERVERS, benchQuery } from './benchConfig.js';

export interface EndToEndRoute {
  name: string;
  source: DbType;
  results: DbType;
  /** The pipe this route is held to, timed right beside each of its jobs. */
  pipe: () => Promise<number>;
  pipeLabel: string;
}

interface Span {
  traceId: string;
  name: string;
  startMs: number;
  endMs: number;
  jobId?: string;
}

/** The phases printed, in order: span names, then the two measured here. */
const PHASES = ['submit', 'queue wait', 'claim', 'source query', 'results write', 'index build and swap', 'final write and answer'] as const;

const dsnOf = (type: DbType, database: string) => {
  const { host, port, user } = BENCH_SERVERS[type];
  return type === 'postgres' ? `postgres://${user}@${host}:${port}/${database}` : `${user}@tcp(${host}:${port})/${database}`;
};

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const spread = (xs: number[]) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))})`;

/** Spans from OTLP/HTTP JSON bodies. */
function collectSpans(body: string, into: Span[]): void {
  const doc = JSON.parse(body) as {
    resourceSpans?: { scopeSpans?: { spans?: { traceId: string; name: string; startTimeUnixNano: string; endTimeUnixNano: string; attributes?: { key: string; value: { stringValue?: string } }[] }[] }[] }[];
  };
  for (const rs of doc.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      for (const s of ss.spans ?? []) {
        const jobId = s.attributes?.find((a) => a.key === 'sqljobber.job_id')?.value.stringValue;
        into.push({ traceId: s.traceId, name: s.name, startMs: Number(BigInt(s.startTimeUnixNano) / 1_000_000n), endMs: Number(BigInt(s.endTimeUnixNano) / 1_000_000n), ...(jobId ? { jobId } : {}) });
      }
    }
  }
}

/** Runs `rounds` rounds of every route's job beside its pipe and prints the table; stops everything it started. */
export async function endToEnd(routes: EndToEndRoute[], opts: { database: string; rows: number; rounds: number }): Promise<void> {
  const spans: Span[] = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        collectSpans(body, spans);
      } catch {
        // Not JSON (a protobuf exporter): the phases stay empty, the times still print.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
  const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-e2e-bench-'));
  const engines = [...new Set(routes.flatMap((r) => [r.source, r.results]))];
  writeFileSync(
    path.join(dir, 'config.toml'),
    [
      '[app]\nlog_level = "ERROR"\n',
      `[observability]\notlp_endpoint = "${otlp}"\n`,
      ...engines.map((t) => `[db.${t}]\ntype = "${t}"\ndsn = "${dsnOf(t, opts.database)}"\nmax_active = 2\n`),
      ...engines.map((t) => `[results.${t}_res]\ntype = "${t}"\ndsn = "${dsnOf(t, opts.database)}"\nmax_active = 2\n`),
      '[queues.e2e]\nconcurrency = 1\ntimeout = 600\n',
    ].join('\n'),
  );
  const task = (r: EndToEndRoute) => `e2e_${r.name.replace('-', '_')}`;
  writeFileSync(
    path.join(dir, 'tasks.sql'),
    routes.map((r) => `-- name: ${task(r)}\n-- db: ${r.source}\n-- results: ${r.results}_res\n-- queue: e2e\n${benchQuery(r.source)};\n`).join('\n'),
  );
  const stack = await startLocalStack({ configPath: path.join(dir, 'config.toml'), sqlDir: dir, dataDir: path.join(dir, 'state'), port: await freePort(), log: () => undefined });
  try {
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${stack.url}${url}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${text}`);
      return JSON.parse(text) as { data: { job_id: string; status: string; error?: string } };
    };
    /** One job, submit to SUCCESS answered; the submit's own time too. */
    const job = async (r: EndToEndRoute) => {
      const started = performance.now();
      const startedAt = Date.now();
      const { data } = await call('POST', `/tasks/${task(r)}/jobs`, { args: [String(opts.rows)] });
      const submitMs = performance.now() - started;
      for (;;) {
        const { data: now } = await call('GET', `/jobs/${encodeURIComponent(data.job_id)}?wait=20`);
        if (now.status === 'SUCCESS') return { id: data.job_id, ms: performance.now() - started, submitMs, startedAt, answeredAt: Date.now() };
        if (now.status === 'FAILURE' || now.status === 'CANCELLED') throw new Error(`${r.name} job ${data.job_id}: ${now.status} ${now.error ?? ''}`);
      }
    };
    // One untimed job per route: the functions' first start and the pools' first connections.
    for (const r of routes) await job(r);
    const runs = new Map(routes.map((r) => [r.name, [] as Awaited<ReturnType<typeof job>>[]]));
    const pipes = new Map(routes.map((r) => [r.name, [] as number[]]));
    for (let round = 0; round < opts.rounds; round++) {
      const line: string[] = [];
      for (const r of routes) {
        const steps = [async () => pipes.get(r.name)!.push(await r.pipe()), async () => runs.get(r.name)!.push(await job(r))];
        for (const step of round % 2 === 0 ? steps : steps.reverse()) await step();
        line.push(`${r.name} job ${fmt(runs.get(r.name)!.at(-1)!.ms)} / ${r.pipeLabel} ${fmt(pipes.get(r.name)!.at(-1)!)}`);
      }
      console.log(`end to end, round ${round + 1}: ${line.join(', ')}`);
    }
    // The last spans leave at the end of each invocation; give the exporter a moment.
    await new Promise((r) => setTimeout(r, 1500));

    console.log(`\n== end to end through the local stack: POST to the ?wait answer of SUCCESS, ${opts.rows.toLocaleString('en-US')} rows, median (min-max) of ${opts.rounds} round(s), beside the pipe ==`);
    for (const r of routes) {
      const jobs = runs.get(r.name)!;
      const pipe = pipes.get(r.name)!;
      const ratios = jobs.map((j, i) => j.ms / pipe[i]!).sort((a, b) => a - b);
      console.log(
        `${r.name.padEnd(12)} job ${spread(jobs.map((j) => j.ms))}  ${r.pipeLabel} ${spread(pipe)}  ${(median(jobs.map((j) => j.ms)) / median(pipe)).toFixed(2)}x (per round ${ratios[0]!.toFixed(2)}-${ratios.at(-1)!.toFixed(2)})`,
      );
      // Each phase's median over the rounds, from the job's trace.
      const phases = new Map<string, number[]>(PHASES.map((p) => [p, []]));
      for (const j of jobs) {
        phases.get('submit')!.push(j.submitMs);
        const traceId = spans.find((s) => s.jobId === j.id)?.traceId;
        const mine = spans.filter((s) => s.traceId === traceId);
        for (const name of ['queue wait', 'claim', 'source query', 'results write', 'index build and swap']) {
          const s = mine.find((x) => x.name === name);
          if (s) phases.get(name)!.push(s.endMs - s.startMs);
        }
        const swap = mine.find((x) => x.name === 'index build and swap');
        if (swap) phases.get('final write and answer')!.push(j.answeredAt - swap.endMs);
      }
      console.log(`             ${PHASES.map((p) => `${p} ${phases.get(p)!.length ? `${Math.round(median(phases.get(p)!))} ms` : '-'}`).join(', ')}`);
    }
  } finally {
    await stack.stop().catch((err: unknown) => console.error(`stopping the stack: ${(err as Error).message}`));
    await new Promise((resolve) => receiver.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
