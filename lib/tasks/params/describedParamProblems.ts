import type { DescribedParam } from '../../db/port/engine.js';
import type { ParamType, TaskParam } from './types.js';

/** What text a declared type's canonical values are: the kinds of placeholder type that read them. */
const READ_BY: Record<ParamType['kind'], readonly DescribedParam['reads'][]> = {
  int: ['number'],
  bigint: ['number'],
  numeric: ['number'],
  bool: ['boolean'],
  date: ['datetime'],
  timestamp: ['datetime'],
  timestamptz: ['datetime'],
  // Text and enum labels: any type that reads text, or one we cannot judge (enums, json, uuid...).
  text: [],
  enum: [],
  identifier: [],
};

/**
 * The problems, one per value parameter, between its declaration and the type
 * the database inferred for its placeholder (`params[n - 1]` for `$n`): a list
 * declared where the statement reads one value (or the other way round), or a
 * value the placeholder's type cannot read (a date bound where the statement
 * reads an integer). Text-reading and unknown placeholder types take anything.
 */
export function describedParamProblems(params: readonly TaskParam[], described: readonly DescribedParam[]): { param: TaskParam; message: string }[] {
  const values = params.filter((p) => p.type.kind !== 'identifier');
  const out: { param: TaskParam; message: string }[] = [];
  values.forEach((p, i) => {
    const d = described[i];
    if (!d || d.reads === 'other') return;
    const declared = `${p.type.kind}${p.array ? '[]' : ''}`;
    const tell = (why: string) => out.push({ param: p, message: `parameter "${p.name}" is declared ${declared}, but the statement reads $${i + 1} as ${d.type}: ${why}` });
    if (d.reads === 'text' && !d.array) {
      if (p.array) tell(`a list would arrive as one text: cast it ($${i + 1}::${p.type.kind}[]), or declare one value`);
      return;
    }
    if (p.array !== d.array) {
      tell(p.array ? 'declare one value' : `declare ${p.type.kind}[] or cast $${i + 1}`);
      return;
    }
    const readers = READ_BY[p.type.kind];
    const fits = d.reads === 'text' || (readers.length === 0 ? !['number', 'boolean', 'datetime'].includes(d.reads) : readers.includes(d.reads));
    if (!fits) tell(`declare the type the statement reads, or cast $${i + 1} to ${p.type.kind}`);
  });
  return out;
}
