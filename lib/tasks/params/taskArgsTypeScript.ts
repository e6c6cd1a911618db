import type { TaskParam } from './types.js';

const literal = (v: string) => JSON.stringify(v);

/** The TypeScript type of one value of a parameter, as strict as the server (strings where JSON numbers would lose digits). */
function valueType(p: TaskParam): string {
  const t = p.type;
  let one: string;
  switch (t.kind) {
    case 'int':
      one = 'number';
      break;
    case 'bigint':
      one = 'number | `${bigint}`';
      break;
    case 'numeric':
      one = 'number | `${number}`';
      break;
    case 'bool':
      one = 'boolean';
      break;
    case 'enum':
    case 'identifier':
      one = t.values.map(literal).join(' | ');
      break;
    default:
      one = 'string';
  }
  return p.array ? `(${one})[]` : one;
}

/**
 * The TypeScript source of a `TaskArgs` interface: per task with declared
 * parameters, the type of its `args` by name (optional parameters may be left
 * out or null). The typed client's `submit(task, args)` takes these.
 */
export function taskArgsTypeScript(tasks: Iterable<{ name: string; params?: readonly TaskParam[] }>): string {
  const entries: string[] = [];
  for (const task of [...tasks].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!task.params) continue;
    const fields = task.params.map((p) => `    ${p.name}${p.required ? '' : '?'}: ${valueType(p)}${p.required ? '' : ' | null'};`);
    entries.push(`  ${literal(task.name)}: {\n${fields.join('\n')}\n  };`);
  }
  return [
    '/** Per task with declared parameters (`-- param:` in its task file): its `args` by name. */',
    `export interface TaskArgs {\n${entries.join('\n')}${entries.length ? '\n' : ''}}`,
    '',
    '/** The tasks with declared parameters. */',
    'export type TaskName = keyof TaskArgs;',
    '',
  ].join('\n');
}
