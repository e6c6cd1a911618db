import type { Caller } from '../../identity/caller.js';
import { ForbiddenError } from '../../errors.js';
import { paramProblem, paramSchema } from './paramSchema.js';
import type { TypedTask } from './taskArgsSchema.js';
import type { JobArg } from './types.js';

/**
 * A job's arguments with the parameters bound to the caller (`from tenant`,
 * `from claim:NAME`) filled in from its identity, as canonical values of their
 * types: the tenant, or the claim of its verified token (a number or boolean as
 * its text). The request never gave them (taskArgsSchema leaves them out), so a
 * caller cannot choose another tenant's rows.
 *
 * @throws ForbiddenError the caller has no such claim, or one of the wrong type (403)
 */
export function callerArgs(task: TypedTask, args: readonly JobArg[], caller: Caller): JobArg[] {
  return task.params.map((p, i) => {
    if (!p.from) return args[i] ?? null;
    const raw = 'tenant' in p.from ? caller.tenant : caller.claims[p.from.claim];
    const value = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
    const what = 'tenant' in p.from ? "the caller's tenant" : `the caller's "${p.from.claim}" claim`;
    if (typeof value !== 'string') throw new ForbiddenError(`task "${task.name}" takes parameter "${p.name}" from ${what}, which this caller does not have`);
    const parsed = paramSchema(p, task.dialect).safeParse(value);
    if (!parsed.success) throw new ForbiddenError(`task "${task.name}": ${paramProblem(p, `parameter "${p.name}" (from ${what})`, value)}`);
    return parsed.data;
  });
}
