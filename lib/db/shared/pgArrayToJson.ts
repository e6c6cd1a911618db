/** How a PostgreSQL array's elements become JSON. */
export type PgArrayElement = 'number' | 'boolean' | 'json' | 'string';

/** The JSON counterpart of a PostgreSQL array type's elements, from its SQL type (`integer[]`, `numeric(12,2)[]`, `jsonb[]`...). */
export function pgArrayElement(sql: string): PgArrayElement {
  const base = sql.replace(/(\[\d*\])+$/, '').replace(/\(.*\)$/, '').trim().toLowerCase();
  if (/^(smallint|integer|bigint|int[248]?|numeric|decimal|real|double precision|float[48]|oid)$/.test(base)) return 'number';
  if (base === 'boolean' || base === 'bool') return 'boolean';
  if (base === 'json' || base === 'jsonb') return 'json';
  return 'string';
}

/**
 * PostgreSQL array text (`{1,NULL,{2}}`, `{"a b","c\"d"}`, `[0:1]={1,2}`) as JSON
 * text: nested arrays for dimensions, NULL as null, numbers as their digits
 * (NaN and ±Infinity, which JSON lacks, as strings), booleans as true/false,
 * json elements as they are, everything else as strings.
 */
export function pgArrayToJson(text: string, element: PgArrayElement): string {
  let i = 0;
  // A lower bound other than 1 is written as a dimension prefix: JSON has no room for it.
  if (text.startsWith('[')) {
    const eq = text.indexOf('=');
    if (eq < 0) throw new Error(`not a PostgreSQL array: ${text.slice(0, 40)}`);
    i = eq + 1;
  }
  let out = '';
  const fail = (): never => {
    throw new Error(`not a PostgreSQL array: ${text.slice(0, 40)}`);
  };
  const scalar = (raw: string, quoted: boolean): string => {
    if (!quoted && raw.toUpperCase() === 'NULL') return 'null';
    switch (element) {
      case 'number':
        return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) ? normalizeNumber(raw) : JSON.stringify(raw);
      case 'boolean':
        return raw === 't' || raw === 'true' ? 'true' : raw === 'f' || raw === 'false' ? 'false' : JSON.stringify(raw);
      case 'json':
        return raw;
      default:
        return JSON.stringify(raw);
    }
  };
  const parse = (): void => {
    if (text[i] !== '{') fail();
    i++;
    out += '[';
    if (text[i] === '}') {
      i++;
      out += ']';
      return;
    }
    for (let first = true; ; first = false) {
      if (!first) out += ',';
      if (text[i] === '{') parse();
      else if (text[i] === '"') {
        i++;
        let raw = '';
        for (;;) {
          const ch = text[i++];
          if (ch === undefined) fail();
          if (ch === '"') break;
          raw += ch === '\\' ? (text[i++] ?? fail()) : ch;
        }
        out += scalar(raw, true);
      } else {
        let end = i;
        while (end < text.length && text[end] !== ',' && text[end] !== '}') end++;
        out += scalar(text.slice(i, end).trim(), false);
        i = end;
      }
      const sep = text[i++];
      if (sep === '}') break;
      if (sep !== ',') fail();
    }
    out += ']';
  };
  parse();
  if (i !== text.length) fail();
  return out;
}

/** JSON forbids a leading `+`, leading zeros and a bare point: `.5` → `0.5`, `1.` → `1`. */
function normalizeNumber(raw: string): string {
  let s = raw.replace(/^(-?)\./, '$10.').replace(/\.(?=$|[eE])/, '');
  s = s.replace(/^(-?)0+(?=\d)/, '$1');
  return s;
}
