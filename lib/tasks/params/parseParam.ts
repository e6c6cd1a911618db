import { SCALAR_TYPES, type ParamType, type ScalarType, type TaskParam } from './types.js';

/** A `-- param:` line as written: its value and its 1-based line. */
export interface ParamLine {
  text: string;
  line: number;
}

/** A declaration before its default is checked against the task's engine. */
export type ParamDeclaration = Omit<TaskParam, 'default'> & { defaultText?: string };

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** An allowlisted identifier: a name, or `schema.name`, as the catalog spells it (it is quoted, so case counts). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}(?:\.[A-Za-z_][A-Za-z0-9_$]{0,62})?$/;
const ALIASES: Readonly<Record<string, ScalarType>> = { integer: 'int', int4: 'int', int8: 'bigint', decimal: 'numeric', boolean: 'bool', varchar: 'text' };
const MAX_ITEMS = 1000;

/**
 * Splits a declaration into words: a `(...)` group stays with the word before
 * it (`enum(a, b)`), and a `'...'` string is one word (`default 'in transit'`,
 * `''` inside for a quote).
 */
function words(text: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    if (text[i] === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return 'a quoted value has no closing quote';
        if (text[j] === "'" && text[j + 1] === "'") (value += "'"), (j += 2);
        else if (text[j] === "'") break;
        else value += text[j++];
      }
      out.push(`'${value}`); // marked as quoted: a quoted word is never a keyword
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]!) && text[j] !== '(') j++;
    if (text[j] === '(') {
      const close = text.indexOf(')', j);
      if (close < 0) return `"${text.slice(i)}" has no closing ")"`;
      j = close + 1;
      if (text.slice(j, j + 2) === '[]') j += 2;
    }
    out.push(text.slice(i, j));
    i = j;
  }
  return out;
}

const unquote = (word: string) => (word.startsWith("'") ? word.slice(1) : word);

function parseType(word: string): { type: ParamType; array: boolean } | string {
  const array = word.endsWith('[]');
  const base = array ? word.slice(0, -2) : word;
  const list = /^(enum|identifier)\((.*)\)$/is.exec(base);
  if (list) {
    const kind = list[1]!.toLowerCase() as 'enum' | 'identifier';
    const values = list[2]!.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) return `${kind}(...) lists an empty value`;
    const twice = values.find((v, i) => values.indexOf(v) !== i);
    if (twice !== undefined) return `${kind}(...) lists "${twice}" twice`;
    if (kind === 'identifier') {
      if (array) return 'an identifier cannot be a list: one name is placed where the SQL says {{name}}';
      const bad = values.find((v) => !IDENTIFIER.test(v));
      if (bad !== undefined) return `identifier "${bad}" is not a plain name: use letters, digits, _ and $ (optionally schema.name), at most 63 characters`;
    }
    return { type: { kind, values }, array };
  }
  const lower = base.toLowerCase();
  const scalar = ALIASES[lower] ?? (SCALAR_TYPES as readonly string[]).find((t) => t === lower);
  if (scalar === undefined) return `unknown type "${base}"; use ${SCALAR_TYPES.join(', ')}, enum(a,b,...) or identifier(a,b,...), a list as TYPE[]`;
  return { type: { kind: scalar as ScalarType }, array };
}

/**
 * Parses one `-- param: NAME TYPE [required] [default X] [max N]` declaration.
 *
 * `from tenant` or `from claim:NAME` binds a parameter to the caller's
 * identity (`-- param: tenant text from claim:sub`): a request cannot set it.
 */
export function parseParam({ text, line }: ParamLine): ParamDeclaration | string {
  const split = words(text);
  if (typeof split === 'string') return split;
  const [name, typeWord, ...rest] = split;
  const usage = 'write "-- param: NAME TYPE [required] [default VALUE] [max N]"';
  if (name === undefined || typeWord === undefined) return `a parameter needs a name and a type; ${usage}`;
  if (!PARAM_NAME.test(name)) return `invalid parameter name "${unquote(name)}": use letters, digits and _, not starting with a digit`;
  // Names every JavaScript object has (constructor, toString, __proto__...) would read as given when absent.
  if (name in Object.prototype) return `invalid parameter name "${name}": every object has a property of that name; choose another`;
  const typed = parseType(typeWord);
  if (typeof typed === 'string') return `parameter "${name}": ${typed}`;
  const decl: ParamDeclaration = { name, ...typed, required: false, line };
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const key = word.startsWith("'") ? '' : word.toLowerCase();
    if (seen.has(key)) return `parameter "${name}": "${key}" given twice`;
    seen.add(key);
    if (key === 'required') {
      decl.required = true;
    } else if (key === 'default' || key === 'max') {
      const value = rest[++i];
      if (value === undefined) return `parameter "${name}": "${key}" needs a value`;
      if (key === 'default') decl.defaultText = unquote(value);
      else {
        const max = /^[1-9]\d{0,6}$/.test(value) ? Number(value) : NaN;
        if (!(max <= (decl.array ? MAX_ITEMS : 32 * 1024))) return `parameter "${name}": max must be a whole number from 1 to ${decl.array ? MAX_ITEMS : 32 * 1024} (got "${unquote(value)}")`;
        decl.max = max;
      }
    } else if (key === 'from') {
      const source = rest[++i];
      const claim = source === undefined ? undefined : /^claim:([A-Za-z0-9_:./-]{1,128})$/.exec(source)?.[1];
      if (source === 'tenant') decl.from = { tenant: true };
      else if (claim !== undefined) decl.from = { claim };
      else return `parameter "${name}": "from" takes "tenant" or "claim:NAME" (a claim of the caller's token)`;
    } else {
      return `parameter "${name}": unexpected "${unquote(word)}"; ${usage}`;
    }
  }
  if (decl.from && (decl.required || decl.defaultText !== undefined || decl.type.kind === 'identifier' || decl.array)) {
    return `parameter "${name}": a parameter "from" the caller takes no "required" or "default", and is a single value, not an identifier`;
  }
  if (decl.required && decl.defaultText !== undefined) return `parameter "${name}": a required parameter has no default (drop one of them)`;
  if (decl.max !== undefined && !decl.array && decl.type.kind !== 'text') return `parameter "${name}": "max" bounds a text's length or a list's items, not a ${typeWord}`;
  if (decl.type.kind === 'identifier' && decl.defaultText === undefined && !decl.required) decl.required = true;
  return decl;
}
