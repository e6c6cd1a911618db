import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import type { DbType } from '../../config/types.js';
import { quoteInput } from '../../quoteInput.js';
import { paramProblem, paramSchema } from './paramSchema.js';
import type { JobArg, TaskParam } from './types.js';

/** What a task with parameters needs to know to check a request's `args`. */
export interface TypedTask {
  name: string;
  dialect: DbType;
  params: readonly TaskParam[];
}

const schemas = new WeakMap<object, z.ZodType<JobArg[], unknown>>();

/** A parameter's value in the request, or its default, or NULL (absent or null: the schema already refused that for a required one). */
const valueOf = (p: TaskParam, v: string | null | undefined): JobArg => v ?? p.default ?? null;

/**
 * The schema of a job request's `args` for a task with parameters: an object by
 * parameter name, or a list in declaration order (today's positional form, one
 * item per parameter, null for "none"). Both give the canonical arguments in
 * declaration order, defaults filled in: the arguments the job records, the
 * engine receives and the reuse key hashes. The OpenAPI document shows this
 * very schema.
 */
export function taskArgsSchema(task: TypedTask): z.ZodType<JobArg[], unknown> {
  const cached = schemas.get(task);
  if (cached) return cached;
  // Parameters bound to the caller (`from`) are no request's to give: they are left out here, and filled in from the caller (callerArgs).
  const params = requestParams(task);
  const names = params.map((p) => p.name);
  const fromCaller = task.params.filter((p) => p.from).map((p) => p.name);
  // Every declared parameter in order; a caller-bound one null until callerArgs fills it.
  const inDeclarationOrder = (given: (p: TaskParam, i: number) => string | null | undefined) => {
    let i = 0;
    return task.params.map((p) => (p.from ? null : valueOf(p, given(p, i++))));
  };
  const byNameError = (iss: { code?: string; keys?: string[] }) =>
    iss.code === 'unrecognized_keys' && iss.keys
      ? iss.keys.some((k) => fromCaller.includes(k))
        ? `args: ${iss.keys.filter((k) => fromCaller.includes(k)).map((k) => quoteInput(k)).join(', ')} of task "${task.name}" comes from the caller's identity; a request cannot set it`
        : `args: unknown parameter(s) ${iss.keys.map((k) => quoteInput(k)).join(', ')}; task "${task.name}" takes ${names.join(', ') || 'none from the request'}`
      : `args: expected the parameters of task "${task.name}" by name (${names.join(', ')}), or a list of them in that order`;
  const byName = z
    .strictObject(
      Object.fromEntries(params.map((p) => {
        const s = paramSchema(p, task.dialect);
        return [p.name, p.required ? s : s.nullable().optional()];
      })),
      { error: byNameError },
    )
    // Own properties only: an absent parameter named "constructor" must not read Object's.
    .transform((o) => inDeclarationOrder((p) => (Object.hasOwn(o, p.name) ? (o as Record<string, string | null | undefined>)[p.name] : undefined)));
  // Optional parameters after the last required one may be left off the end of the list (a parameter added to a task keeps its callers working).
  const lastRequired = params.findLastIndex((p) => p.required);
  if (params.length === 0) {
    // Every parameter is the caller's: no args, or an empty object or list.
    const none = z.union([z.strictObject({}, { error: byNameError }), z.tuple([])]).transform(() => inDeclarationOrder(() => undefined));
    schemas.set(task, none);
    return none;
  }
  const inOrder = z
    .tuple(
      params.map((p, i) => {
        const s = paramSchema(p, task.dialect);
        return p.required ? s : i > lastRequired ? s.nullable().optional() : s.nullable();
      }) as [z.ZodType, ...z.ZodType[]],
      {
        error: (iss) =>
          `args: task "${task.name}" takes ${lastRequired + 1 === params.length ? '' : `${lastRequired + 1} to `}${params.length} argument(s) in this order: ${names.join(', ')}${Array.isArray(iss.input) ? `; got ${iss.input.length}` : ''}`,
      },
    )
    .transform((list) => inDeclarationOrder((_, i) => (list as unknown[])[i] as string | null | undefined));
  const schema = z.union([byName, inOrder]);
  schemas.set(task, schema);
  return schema;
}

/** The parameters a request gives: all but those bound to the caller (`from`). */
export const requestParams = (task: TypedTask): readonly TaskParam[] => task.params.filter((p) => !p.from);

/** Whether a request must send `args` at all: it must when a parameter is required. */
export const argsRequired = (task: TypedTask) => task.params.some((p) => p.required);

/**
 * The messages of a failed `args` check, from the branch the request chose (an
 * object: by name; a list: in order), so a 400 names the parameter rather than
 * "no union member matched".
 */
export function argsIssueMessages(issue: z.core.$ZodIssue, args: unknown, task: TypedTask): string[] {
  if (issue.code !== 'invalid_union' || issue.path.length !== 1) return [issue.message];
  if (args === undefined) return [`args: required; task "${task.name}" takes ${task.params.filter((p) => p.required).map((p) => p.name).join(', ')}`];
  if (args === null || typeof args !== 'object') return [`args: expected the parameters of task "${task.name}" by name (${task.params.map((p) => p.name).join(', ')}), or a list of them in that order`];
  const inOrder = Array.isArray(args);
  const messages = new Set<string>();
  const params = requestParams(task);
  for (const i of issue.errors[inOrder ? 1 : 0] ?? []) {
    const key = i.path[0];
    const param = inOrder ? (typeof key === 'number' ? params[key] : undefined) : params.find((p) => p.name === key);
    if (!param) messages.add(i.message);
    else messages.add(paramProblem(param, inOrder ? `args[${key as number}] (${param.name})` : `args.${param.name}`, (args as Record<string | number, unknown>)[key as string]));
  }
  return [...messages];
}
