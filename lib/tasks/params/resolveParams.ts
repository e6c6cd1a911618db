import type { DbType } from '../../config/types.js';
import { countArgs, namedPlaceholders, numberedPlaceholders } from '../../db/countArgs.js';
import { dialectFor } from '../../db/dialects.js';
import { parseDefault } from './paramSchema.js';
import { parseParam, type ParamLine } from './parseParam.js';
import type { TaskParam } from './types.js';

/** The SQL of a task and where it stands in its file, to name the line of a placeholder. */
export interface TaskSql {
  query: string;
  /** 1-based line of the query's first line. */
  queryLine: number;
}

/** Why the engine cannot take a parameter's values as bound values (MySQL: no lists, no timestamptz), or undefined. */
function bindProblem(param: Omit<TaskParam, 'default'>, dialect: DbType): string | undefined {
  if (param.type.kind === 'identifier') return undefined; // never bound: placed in the SQL
  const why = dialectFor(dialect).parameters.cannotBind(param.type.kind, param.array);
  return why === undefined ? undefined : `parameter "${param.name}": ${why}`;
}

/**
 * Parses a task's `-- param:` lines and checks them against its SQL: every
 * declaration readable, its default valid and its type bindable by the engine;
 * every value parameter used by its placeholder (`$n` on PostgreSQL, the n-th
 * `?` on MySQL, n counting value parameters in declaration order) and every
 * placeholder declared; every identifier parameter placed by `{{name}}` and
 * every `{{name}}` declared as an identifier. Each problem is reported with its
 * line; undefined when there is any.
 */
export function resolveParams(lines: readonly ParamLine[], sql: TaskSql, dialect: DbType, problem: (line: number, message: string) => void): TaskParam[] | undefined {
  const before = { count: 0 };
  const report = (line: number, message: string) => {
    before.count++;
    problem(line, message);
  };
  const params: TaskParam[] = [];
  const byName = new Map<string, TaskParam>();
  for (const line of lines) {
    const decl = parseParam(line);
    if (typeof decl === 'string') {
      report(line.line, decl);
      continue;
    }
    const { defaultText, ...param } = decl;
    const first = byName.get(param.name);
    if (first) {
      report(line.line, `parameter "${param.name}" is declared twice (first at line ${first.line})`);
      continue;
    }
    const cannot = bindProblem(param, dialect);
    if (cannot) report(line.line, cannot);
    let value: string | undefined;
    if (defaultText !== undefined && !cannot) {
      const parsed = parseDefault({ ...param }, dialect, defaultText);
      if ('problem' in parsed) report(line.line, parsed.problem);
      else value = parsed.value;
    }
    const full: TaskParam = Object.freeze({ ...param, ...(value === undefined ? {} : { default: value }) });
    params.push(full);
    byName.set(full.name, full);
  }

  const lineAt = (offset: number) => sql.queryLine + (sql.query.slice(0, offset).match(/\n/g)?.length ?? 0);
  const values = params.filter((p) => p.type.kind !== 'identifier');
  const placed = new Set<string>();
  for (const at of namedPlaceholders(sql.query, dialect)) {
    const param = byName.get(at.name);
    if (!param) report(lineAt(at.start), `{{${at.name}}} has no declaration; declare it with "-- param: ${at.name} identifier(a,b,...)"`);
    else if (param.type.kind !== 'identifier') report(lineAt(at.start), `{{${at.name}}} places a name, but parameter "${at.name}" is ${param.type.kind}: bind it with its placeholder, or declare it identifier(...)`);
    placed.add(at.name);
  }
  for (const p of params) if (p.type.kind === 'identifier' && !placed.has(p.name)) report(p.line, `parameter "${p.name}" is declared but never used: place it with {{${p.name}}}`);

  const numbered = dialectFor(dialect).lexicon.placeholders === 'dollar';
  const where = (i: number) => (numbered ? `$${i + 1}` : `the ${ordinal(i + 1)} "?"`);
  if (numbered) {
    const used = new Set<number>();
    for (const at of numberedPlaceholders(sql.query, dialect)) {
      used.add(at.n);
      if (at.n > values.length || at.n < 1) report(lineAt(at.start), `$${at.n} has no declaration (the task declares ${describeValues(values, where)})`);
    }
    values.forEach((p, i) => {
      if (!used.has(i + 1)) report(p.line, `parameter "${p.name}" is declared but never used: the SQL has no ${where(i)}`);
    });
  } else {
    const count = countArgs(sql.query, dialect);
    if (count > values.length) report(sql.queryLine, `the SQL has ${count} "?" placeholders, but the task declares ${describeValues(values, where)}`);
    values.forEach((p, i) => {
      if (i >= count) report(p.line, `parameter "${p.name}" is declared but never used: the SQL has no ${where(i)}`);
    });
  }
  return before.count === 0 ? params : undefined;
}

function describeValues(values: readonly TaskParam[], where: (i: number) => string): string {
  if (values.length === 0) return 'no value parameters';
  return `${values.length} value parameter(s): ${values.map((p, i) => `${where(i)} = ${p.name}`).join(', ')}`;
}

function ordinal(n: number): string {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] ?? s[v] ?? s[0]}`;
}
