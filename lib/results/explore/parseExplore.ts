import { InvalidRequestError } from '../../errors.js';
import { quoteInput } from '../../quoteInput.js';
import {
  AGGREGATE_FNS,
  FILTER_OPS,
  RESERVED_PARAMS,
  type AggregateFn,
  type ExploreQuery,
  type Filter,
  type FilterOp,
  type OrderItem,
  type SelectItem,
  type Target,
} from './exploreQuery.js';

/** At most this many filters in one request. */
export const MAX_FILTERS = 20;
/** At most this many values in one `in.(...)`. */
export const MAX_IN_VALUES = 100;
/** At most this many `order` items. */
export const MAX_ORDER_ITEMS = 16;
/** At most this many `select` items. */
export const MAX_SELECT_ITEMS = 200;
/** Longer than any column name either engine allows (PostgreSQL 63 bytes, MySQL 64 characters), with room. */
export const MAX_NAME_CHARS = 128;
/** At most this many keys in a JSON path. */
export const MAX_PATH_KEYS = 16;
/** A filter value's length. */
export const MAX_VALUE_CHARS = 4000;

/** The parameters that still go to the plain pager (`limit`, `cursor`, `format`), as text. */
export interface PagingParams {
  limit?: string;
  cursor?: string;
  format?: string;
}

const bad = (message: string) => new InvalidRequestError(message);
const RESERVED: ReadonlySet<string> = new Set(RESERVED_PARAMS);
/** Characters that end an unquoted name in `select` and `order`. */
const NAME_STOP = new Set(['.', ',', ':', '(', ')', '"']);

/**
 * Parses a request's query parameters into an explore query and its paging
 * parameters. Syntax only: whether a column exists and a value fits its type is
 * for `planExplore`. Every problem is a 400 whose message names the parameter
 * and the part that is wrong.
 *
 * Names: a column is written as it is, or in double quotes (`"order"`,
 * `"a.b"`, `"say ""hi"""`: quotes doubled) when it is a reserved word or holds
 * `. , : ( ) "` or, in a filter, `->`.
 */
export function parseExplore(pairs: readonly (readonly [string, string])[]): { query: ExploreQuery; paging: PagingParams } {
  const query: ExploreQuery = { filters: [] };
  const paging: PagingParams = {};
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (RESERVED.has(key)) {
      if (seen.has(key)) throw bad(`${key}: given more than once`);
      seen.add(key);
      switch (key) {
        case 'select':
          if (value.trim() !== '*') query.select = parseSelect(value);
          break;
        case 'order':
          query.order = parseOrder(value);
          break;
        case 'run':
          if (value === '') throw bad('run: expected the run_id of the job whose results you are reading');
          query.run = value;
          break;
        default:
          paging[key as keyof PagingParams] = value;
      }
      continue;
    }
    if (query.filters.length >= MAX_FILTERS) throw bad(`at most ${MAX_FILTERS} filters in one request`);
    query.filters.push(parseFilter(key, value));
  }
  return { query, paging };
}

/** A cursor over a parameter's text. */
class Reader {
  i = 0;
  constructor(
    readonly text: string,
    readonly param: string,
  ) {}
  get done() {
    return this.i >= this.text.length;
  }
  peek(n = 1) {
    return this.text.slice(this.i, this.i + n);
  }
  fail(what: string): never {
    throw bad(`${this.param}: ${what} at character ${this.i + 1} of ${quoteInput(this.text)}`);
  }
  eat(s: string): boolean {
    if (this.text.startsWith(s, this.i)) {
      this.i += s.length;
      return true;
    }
    return false;
  }
  expect(s: string, what = `expected "${s}"`) {
    if (!this.eat(s)) this.fail(what);
  }
  /** A name: double-quoted (quotes doubled inside), or up to a stop character (or `->` when `arrows`). */
  name(arrows = false): string {
    let out = '';
    if (this.eat('"')) {
      for (;;) {
        if (this.done) this.fail('unterminated quoted name');
        const c = this.text[this.i++]!;
        if (c === '"') {
          if (this.eat('"')) out += '"';
          else break;
        } else out += c;
      }
      if (out === '') this.fail('empty quoted name');
    } else {
      while (!this.done && !NAME_STOP.has(this.text[this.i]!) && !(arrows && this.peek(2) === '->')) out += this.text[this.i++];
      if (out === '') this.fail('expected a column name');
    }
    if (out.length > MAX_NAME_CHARS) this.fail(`a name longer than ${MAX_NAME_CHARS} characters`);
    if (out.includes('\0')) this.fail('a name cannot contain a NUL character');
    return out;
  }
  /** An unquoted word of letters (a function, direction or operator). */
  word(): string {
    const m = /^[A-Za-z_]+/.exec(this.text.slice(this.i));
    if (!m) return '';
    this.i += m[0].length;
    return m[0];
  }
}

function aggregateFn(r: Reader, word: string): AggregateFn {
  const fn = word.toLowerCase();
  if (!(AGGREGATE_FNS as readonly string[]).includes(fn)) {
    r.fail(`unknown function ${quoteInput(word)} (use ${AGGREGATE_FNS.map((f) => f + '()').join(', ')})`);
  }
  return fn as AggregateFn;
}

/** `count()`, `name`, `name.fn()`; the reader stops before what follows (a `.direction` in order). */
function parseTarget(r: Reader): Target {
  if (r.text.startsWith('count()', r.i)) {
    r.i += 'count()'.length;
    return { kind: 'aggregate', fn: 'count' };
  }
  const column = r.name();
  const mark = r.i;
  if (r.eat('.')) {
    const word = r.word();
    if (r.eat('(')) {
      r.expect(')', `expected ")": ${word}() takes no arguments`);
      return { kind: 'aggregate', fn: aggregateFn(r, word), column };
    }
    r.i = mark; // a direction, read by the caller
  }
  return { kind: 'column', column };
}

function parseSelect(text: string): SelectItem[] {
  const r = new Reader(text, 'select');
  const items: SelectItem[] = [];
  for (;;) {
    if (items.length >= MAX_SELECT_ITEMS) r.fail(`more than ${MAX_SELECT_ITEMS} items`);
    const start = r.i;
    let alias: string | undefined;
    if (!r.text.startsWith('count()', r.i)) {
      const first = r.name();
      if (r.eat(':')) alias = first;
      else r.i = start;
    }
    const target = parseTarget(r);
    items.push(alias === undefined ? target : { ...target, alias });
    if (r.done) return items;
    r.expect(',', 'expected "," or the end (a function is written name.sum())');
  }
}

function parseOrder(text: string): OrderItem[] {
  const r = new Reader(text, 'order');
  const items: OrderItem[] = [];
  for (;;) {
    if (items.length >= MAX_ORDER_ITEMS) r.fail(`more than ${MAX_ORDER_ITEMS} items`);
    const item: OrderItem = { target: parseTarget(r), desc: false };
    let gotDirection = false;
    while (r.eat('.')) {
      const word = r.word().toLowerCase();
      if (!gotDirection && (word === 'asc' || word === 'desc') && item.nulls === undefined) {
        item.desc = word === 'desc';
        gotDirection = true;
      } else if (item.nulls === undefined && (word === 'nullsfirst' || word === 'nullslast')) {
        item.nulls = word === 'nullsfirst' ? 'first' : 'last';
      } else {
        r.fail(`expected asc, desc, nullsfirst or nullslast${word ? ` (got ${quoteInput(word)})` : ''}`);
      }
    }
    items.push(item);
    if (r.done) return items;
    r.expect(',', 'expected "," or the end');
  }
}

/** A filter's key (a column, maybe a JSON path) and its value (`[not.]op.value`). */
export function parseFilter(key: string, value: string): Filter {
  if (key === '') throw bad('a query parameter without a name (write column=op.value)');
  const r = new Reader(key, quoteInput(key));
  const column = r.name(true);
  const path: string[] = [];
  let lastArrow = '';
  while (!r.done) {
    if (r.eat('->>')) lastArrow = '->>';
    else if (r.eat('->')) lastArrow = '->';
    else r.fail('expected -> or ->> after the column (quote a name that holds ". , : ( ) \\"": "a.b")');
    if (path.length >= MAX_PATH_KEYS) r.fail(`a JSON path of more than ${MAX_PATH_KEYS} keys`);
    path.push(r.name(true));
  }
  if (lastArrow === '->') throw bad(`${quoteInput(key)}: end a JSON path with ->> (its value as text), as in doc->a->>b`);
  const where = quoteInput(key);
  if (value.length > MAX_VALUE_CHARS) throw bad(`${where}: a value longer than ${MAX_VALUE_CHARS} characters`);
  let rest = value;
  let not = false;
  if (rest.startsWith('not.')) {
    not = true;
    rest = rest.slice(4);
  }
  const dot = rest.indexOf('.');
  const opText = dot < 0 ? rest : rest.slice(0, dot);
  if (!(FILTER_OPS as readonly string[]).includes(opText)) {
    throw bad(
      `${where}: unknown operator ${quoteInput(opText)}; a filter is column=op.value with op one of ${FILTER_OPS.join(', ')} (not.op negates), as in total=gte.100`,
    );
  }
  const op = opText as FilterOp;
  if (dot < 0) throw bad(`${where}: ${op} needs a value after "${op}."`);
  const operand = rest.slice(dot + 1);
  if (op === 'in') return { key, column, path, op, not, value: parseList(operand, where) };
  if (op === 'is') {
    const v = operand.toLowerCase();
    if (v !== 'null' && v !== 'true' && v !== 'false' && v !== 'unknown') {
      throw bad(`${where}: is takes null, true, false or unknown (got ${quoteInput(operand)})`);
    }
    return { key, column, path, op, not, value: v };
  }
  if ((op === 'like' || op === 'ilike') && /(^|[^\\])(\\\\)*\\$/.test(operand)) {
    throw bad(`${where}: a ${op} pattern cannot end with a lone backslash (write \\\\ for a backslash)`);
  }
  return { key, column, path, op, not, value: operand };
}

/** `(a,b,"c,d")`: values split at commas; a double-quoted one may hold `,()` and `\"` `\\`. */
function parseList(text: string, where: string): string[] {
  const r = new Reader(text, `${where} (in)`);
  r.expect('(', 'expected a list in parentheses, as in.(a,b)');
  const values: string[] = [];
  if (r.eat(')')) r.fail('an empty list');
  for (;;) {
    if (values.length >= MAX_IN_VALUES) r.fail(`more than ${MAX_IN_VALUES} values`);
    let v = '';
    if (r.eat('"')) {
      for (;;) {
        if (r.done) r.fail('unterminated quoted value');
        const c = r.text[r.i++]!;
        if (c === '"') break;
        if (c === '\\') {
          if (r.done) r.fail('unterminated quoted value');
          v += r.text[r.i++];
        } else v += c;
      }
    } else {
      while (!r.done && r.peek() !== ',' && r.peek() !== ')') {
        if (r.peek() === '(' || r.peek() === '"') r.fail('quote a value that holds "(" or \'"\'');
        v += r.text[r.i++];
      }
    }
    values.push(v);
    if (r.eat(')')) break;
    r.expect(',', 'expected "," or ")"');
  }
  if (!r.done) r.fail('text after the closing ")"');
  return values;
}
