import * as z from 'zod'; // a namespace import: esbuild then bundles only the parts used (see bench/bundleSizes.ts)
import { SCALAR_TYPES, type TaskParam } from './types.js';

/** A parameter as GET /tasks shows it. */
export const paramSummary = z.object({
  name: z.string(),
  type: z.enum([...SCALAR_TYPES, 'enum', 'identifier']),
  array: z.boolean().describe('a list of values of the type'),
  required: z.boolean(),
  default: z.string().optional().describe('the canonical value used when a request gives none (without a default: NULL)'),
  max: z.int().optional().describe("the most characters of a text, or the most items of a list"),
  values: z.array(z.string()).optional().describe('the values an enum or identifier takes'),
  from: z.string().optional().describe('`tenant` or `claim:NAME`: the value comes from the caller\'s identity; a request cannot give it'),
});

/** A parameter as GET /tasks shows it (see {@link paramSummary}). */
export type ParamSummary = z.output<typeof paramSummary>;

/** The public JSON shape of a parameter. */
export function describeParam(p: TaskParam): ParamSummary {
  return {
    name: p.name,
    type: p.type.kind,
    array: p.array,
    required: p.required,
    ...(p.default === undefined ? {} : { default: p.default }),
    ...(p.max === undefined ? {} : { max: p.max }),
    ...('values' in p.type ? { values: [...p.type.values] } : {}),
    ...(p.from === undefined ? {} : { from: 'tenant' in p.from ? 'tenant' : `claim:${p.from.claim}` }),
  };
}
