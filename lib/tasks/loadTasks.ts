import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDurationMs } from '../config/loadConfig.js';
import type { Config, DbType } from '../config/types.js';
import { ConfigError } from '../errors.js';
import { countArgs, mixedPlaceholdersProblem, namedPlaceholders } from '../db/countArgs.js';
import { scanTaskFile, type ParsedTask } from './parseTaskFile.js';
import { describeParam, type ParamSummary } from './params/describeParam.js';
import { resolveParams } from './params/resolveParams.js';
import { taskQueues } from './taskQueues.js';
import type { Task, TaskRegistry } from './types.js';
import { parseIndexTag } from './parseIndexTag.js';
import { parseExportTag } from './parseExportTag.js';
import { GUARDRAIL_KEYS, GUARDRAIL_READERS, mergeGuardrails, type Guardrails } from '../config/guardrailValues.js';
import { lookup } from '../config/lookup.js';

/** A task as GET /tasks shows it. */
export interface TaskSummary {
  name: string;
  queue: string;
  dbs: string[];
  results: string[];
  raw: boolean;
  args: number;
  /** Its declared parameters, in order (absent: positional string arguments). */
  params?: ParamSummary[];
  timeout?: number;
  /** The query as written in the task file (the console shows it). */
  sql: string;
  /** Its guardrails, as the run applies them (tags over config defaults); absent when it has none. */
  guardrails?: { max_rows?: number; max_result_bytes?: number; max_cost?: number; on_limit: 'fail' | 'truncate' };
}

const MAX_TIMEOUT_S = 900;

/**
 * Loads every `*.sql` file in each of `dirs` (in order; each sorted, not
 * recursive) and checks each task against the config: its `db` and `results`
 * names must be declared, its dbs must share one dialect, `raw` and `timeout`
 * must be readable. Task names are unique across all directories.
 *
 * Without a `db` (or `results`) tag a task gets every declared one, one picked at
 * random per job, as in dungbeetle. Its `queue` tag may name a queue the config
 * does not declare: the task files declare it (see {@link taskQueues}); the
 * registry's `queues` holds the config's queues and theirs.
 *
 * @throws ConfigError listing every problem across all files, each as `file:line: message`.
 */
export function loadTasks(dirs: string | readonly string[], config: Config): TaskRegistry {
  // The same directory twice (`--sql-directory sql --sql-directory ./sql`) is read once.
  const list = [...new Map((typeof dirs === 'string' ? [dirs] : dirs).map((dir) => [resolve(dir), dir])).values()];
  const source = `task files in ${list.join(', ')}`;
  if (list.length === 0) throw new ConfigError('task files', ['no task directory given; set SQL_JOBBER_SQL_DIR or --sql-directory']);
  const problems: string[] = [];
  const parsed: ParsedTask[] = [];
  const defined = new Map<string, string>();

  const files = list.flatMap((dir) => listTaskFiles(dir, source));
  for (const file of files) {
    const scanned = scanTaskFile(readFileSync(file, 'utf8'), file);
    problems.push(...scanned.problems);
    for (const task of scanned.tasks) {
      const where = `${task.file}:${task.line}`;
      const first = defined.get(task.name);
      if (first !== undefined) {
        problems.push(`${where}: duplicate task name "${task.name}" (first defined at ${first})`);
        continue;
      }
      defined.set(task.name, where);
      parsed.push(task);
    }
  }
  const { queues, queueOf } = taskQueues(config, parsed, (where, message) => problems.push(`${where}: ${message}`));
  const tasks = new Map<string, Task>();
  for (const task of parsed) {
    const built = buildTask(task, queueOf.get(task), config, (message, line = task.line) => problems.push(`${task.file}:${line}: ${message}`));
    if (built) tasks.set(built.name, built);
  }
  if (problems.length > 0) throw new ConfigError(source, sortByPlace(problems, files));
  for (const q of Object.values(queues)) Object.freeze(q);
  return { tasks, get: (name) => tasks.get(name), queues: Object.freeze(queues) };
}

/** Problems in file order, then line order, as a reader goes through the files. */
function sortByPlace(problems: string[], files: string[]): string[] {
  const order = new Map(files.map((file, i) => [file, i]));
  const keyed = problems.map((p, i) => {
    const m = /^(.*?):(\d+): /.exec(p);
    return { p, i, file: order.get(m?.[1] ?? '') ?? files.length, line: m ? Number(m[2]) : 0 };
  });
  keyed.sort((a, b) => a.file - b.file || a.line - b.line || a.i - b.i);
  return keyed.map((k) => k.p);
}

/** The public JSON shape of a task, used by GET /tasks. */
export function toTaskSummary(task: Task): TaskSummary {
  const { name, queue, dbs, results, raw, argCount, timeout, query, params, guardrails: g } = task;
  return {
    name, queue, dbs: [...dbs], results: [...results], raw, args: argCount,
    ...(params === undefined ? {} : { params: params.map(describeParam) }),
    ...(timeout === undefined ? {} : { timeout }),
    sql: query,
    ...(Object.keys(g).length === 0
      ? {}
      : {
          guardrails: {
            ...(g.maxRows === undefined ? {} : { max_rows: g.maxRows }),
            ...(g.maxResultBytes === undefined ? {} : { max_result_bytes: g.maxResultBytes }),
            ...(g.maxCost === undefined ? {} : { max_cost: g.maxCost }),
            on_limit: g.onLimit ?? 'fail',
          },
        }),
  };
}

function listTaskFiles(dir: string, source: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'directory not found' : code === 'ENOTDIR' ? 'not a directory' : (err as Error).message;
    throw new ConfigError(source, [`${dir}: ${reason}; set SQL_JOBBER_SQL_DIR (or --sql-directory) to the directory of your *.sql task files`]);
  }
  const files = names
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());
  if (files.length === 0) throw new ConfigError(source, [`${dir}: no *.sql task files found`]);
  return files;
}

function buildTask(parsed: ParsedTask, queue: string | undefined, config: Config, problem: (message: string, line?: number) => void): Task | undefined {
  const { tags } = parsed;
  const dbs = pickNames('db', tags.db, Object.keys(config.db), problem);
  const results = pickNames('results', tags.results, Object.keys(config.results), problem);
  const raw = parseRaw(tags.raw, problem);
  const timeout = parseTimeout(tags.timeout, problem);
  const orphanAfter = parseOrphanAfter(tags.orphan_after, problem);
  const own = parseGuardrailTags(tags, problem);
  const index = tags.index === undefined ? undefined : parseIndexTag(tags.index);
  if (index && 'problem' in index) problem(index.problem);
  const exportTag = tags.export === undefined ? undefined : parseExportTag(tags.export, config);
  if (exportTag && 'problem' in exportTag) problem(exportTag.problem);

  const dialects = new Map<DbType, string>();
  for (const name of dbs ?? []) dialects.set(config.db[name]!.type, name);
  if (dialects.size > 1) {
    const described = [...dialects].map(([type, name]) => `"${name}" is ${type}`).join(' but ');
    problem(`its dbs mix dialects (${described}); name dbs of one type with "-- db:"`);
  }
  const dialect = dialects.keys().next().value;
  const mixed = dialect === undefined ? undefined : mixedPlaceholdersProblem(parsed.query, dialect);
  if (mixed) problem(`task "${parsed.name}" ${mixed}`);
  // Declarations are checked against the SQL in the task's dialect; a task without any keeps dungbeetle's positional arguments.
  const params =
    parsed.params.length === 0 || dialect === undefined || mixed ? undefined : resolveParams(parsed.params, parsed, dialect, (line, message) => problem(message, line));
  if (parsed.params.length > 0 && !params) return undefined;
  const unplaced = parsed.params.length === 0 && dialect !== undefined ? undeclaredNames(parsed, dialect) : [];
  for (const { line, name } of unplaced) problem(`{{${name}}} has no declaration; declare it with "-- param: ${name} identifier(a,b,...)"`, line);
  if (unplaced.length > 0) return undefined;
  if (!dbs || !results || queue === undefined || raw === undefined || timeout === null || orphanAfter === null || !own || mixed || (index && 'problem' in index) || (exportTag && 'problem' in exportTag)) return undefined;
  if (dialect === undefined || dialects.size > 1) return undefined;

  return Object.freeze({
    name: parsed.name,
    query: parsed.query,
    dbs: Object.freeze(dbs) as string[],
    results: Object.freeze(results) as string[],
    queue,
    raw,
    ...(timeout === undefined ? {} : { timeout }),
    ...(orphanAfter === undefined ? {} : { orphanAfter }),
    ...(index && 'indexes' in index ? { indexes: Object.freeze(index.indexes) } : {}),
    ...(exportTag && 'options' in exportTag ? { export: Object.freeze(exportTag.options) } : {}),
    guardrails: Object.freeze(mergeGuardrails(own, lookup(config.queues, queue)?.guardrails, config.app.guardrails)),
    dialect,
    argCount: params ? params.length : countArgs(parsed.query, dialect),
    ...(params ? { params: Object.freeze(params) } : {}),
    tags: Object.freeze({ ...tags }),
    file: parsed.file,
    line: parsed.line,
  });
}

/** The `{{name}}` placeholders of a task that declares no parameters (no SQL of either engine has one), with their lines. */
function undeclaredNames(parsed: ParsedTask, dialect: DbType): { name: string; line: number }[] {
  return namedPlaceholders(parsed.query, dialect).map((at) => ({ name: at.name, line: parsed.queryLine + (parsed.query.slice(0, at.start).match(/\n/g)?.length ?? 0) }));
}

/** A comma list of declared names (dungbeetle also takes one name); absent means all declared ones. */
function pickNames(tag: 'db' | 'results', value: string | undefined, declared: string[], problem: (m: string) => void) {
  if (value === undefined) {
    if (declared.length > 0) return declared;
    problem(`no ${tag} to use: add a [${tag}.<name>] section to the config and "-- ${tag}: <name>" here`);
    return undefined;
  }
  const names = [...new Set(value.split(',').map((name) => name.trim()).filter((name) => name !== ''))];
  if (names.length === 0) problem(`tag "${tag}" lists no names`);
  const unknown = names.filter((name) => !declared.includes(name));
  for (const name of unknown) problem(`unknown ${tag} "${name}"; the config declares ${listOf(tag, declared)}`);
  return names.length > 0 && unknown.length === 0 ? names : undefined;
}

function parseRaw(value: string | undefined, problem: (m: string) => void): boolean | undefined {
  const v = value?.toLowerCase();
  if (v === undefined || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  problem(`tag "raw" must be 1, true, 0 or false (got "${value}")`);
  return undefined;
}

/** The guardrail tags a task sets itself (`max_rows: 100000`, `on_limit: truncate`...); undefined when one is invalid (already reported). */
function parseGuardrailTags(tags: Readonly<Record<string, string>>, problem: (m: string) => void): Guardrails | undefined {
  const out: Record<string, unknown> = {};
  let ok = true;
  for (const [key, tag] of Object.entries(GUARDRAIL_KEYS) as [keyof Guardrails, string][]) {
    if (!Object.hasOwn(tags, tag)) continue;
    const r = GUARDRAIL_READERS[key](tags[tag]);
    if ('value' in r) out[key] = r.value;
    else {
      problem(`tag "${tag}": ${r.problem} (got ${JSON.stringify(tags[tag])})`);
      ok = false;
    }
  }
  return ok ? (out as Guardrails) : undefined;
}

/** Seconds, `undefined` when absent, `null` when invalid (already reported). */
function parseTimeout(value: string | undefined, problem: (m: string) => void): number | undefined | null {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms <= 0 || ms > MAX_TIMEOUT_S * 1000) {
    problem(`tag "timeout" must be seconds or a duration such as "5m", above 0 and at most ${MAX_TIMEOUT_S}s (got "${value}")`);
    return null;
  }
  return Math.ceil(ms / 1000);
}

/** Seconds, `undefined` when absent, `null` when invalid (already reported). */
function parseOrphanAfter(value: string | undefined, problem: (m: string) => void): number | undefined | null {
  if (value === undefined) return undefined;
  const ms = parseDurationMs(value);
  if (ms === undefined || ms % 1000 !== 0 || ms < 1000 || ms > 7 * 86_400_000) {
    problem(`tag "orphan_after" must be a duration such as "10m" or whole seconds, from 1s to 7d (got "${value}")`);
    return null;
  }
  return ms / 1000;
}

function listOf(section: string, names: string[]): string {
  return names.length === 0 ? `no [${section}] sections` : names.map((name) => `[${section}.${name}]`).join(', ');
}
