/**
 * Hostile requests for every route and every field, as fast-check arbitraries,
 * and the one property they must all satisfy (`checkRefused`): a 4xx, the error
 * envelope with a message naming what was wrong, nothing recorded in DynamoDB,
 * nothing sent to SQS. Used by the fuzz test (a few seconds) and by
 * bench/fuzz.ts (as long as you like), against the handlers of a HandlerWorld.
 *
 * Each generated value is invalid by the documented rules (README: Job request,
 * Groups, Limits), written here independently of the code under test, so a value
 * the code wrongly accepts is sent and caught rather than filtered out.
 */
import fc from 'fast-check';
import type { HandlerWorld, RequestParts, Route } from './handlerWorld.js';

/** What one hostile request is, and what its answer must say. */
export interface HostileCase {
  route: Route;
  parts: RequestParts;
  /** Allowed statuses. */
  statuses: number[];
  /** The message must contain every one of these (the field, and the job for a group member). */
  mentions: string[];
  /** Refused before any DynamoDB or SQS call. */
  noCalls: boolean;
}

// --- the world's rules, as the README states them -------------------------------------------

const QUEUES = ['fuzz_q', 'other_q'];
const TASKS = ['two_args', 'no_args', 'my_two'];
/** 63 less "results_" (the world's results_table pattern, results_%s). */
const MAX_JOB_ID = 55;
const MAX_JOB_TTL = 30 * 86_400;
const MAX_ARG_BYTES = 32 * 1024;
const MAX_JOB_ARGS_BYTES = 64 * 1024;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
const ID_CHARS = /^[A-Za-z0-9_:-]+$/;

const isInt = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const validEta = (v: unknown) => {
  if (v === null) return true;
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v) : null;
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as number[];
  const days = [31, y! % 4 === 0 && (y! % 100 !== 0 || y! % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return mo! >= 1 && mo! <= 12 && d! >= 1 && d! <= days[mo! - 1]! && h! <= 23 && mi! <= 59 && s! <= 59;
};
const validArg = (a: unknown, postgres: boolean) =>
  typeof a === 'boolean' ||
  (typeof a === 'number' && Number.isFinite(a)) ||
  (typeof a === 'string' && Buffer.byteLength(a) <= MAX_ARG_BYTES && !/\p{Surrogate}/u.test(a) && !(postgres && a.includes('\0')));
const argBytes = (a: unknown) => Buffer.byteLength(String(a));
/** Args for two_args: two of them, each valid, within the total. */
const validArgs = (v: unknown) =>
  Array.isArray(v) && v.length === 2 && v.every((a) => validArg(a, true)) && v.reduce((n: number, a) => n + argBytes(a), 0) <= MAX_JOB_ARGS_BYTES;

/** The job request fields, with what the README accepts for the task two_args. */
const JOB_FIELDS: Record<string, (v: unknown) => boolean> = {
  job_id: (v) => typeof v === 'string' && v.length <= MAX_JOB_ID && ID_CHARS.test(v),
  task: (v) => v === 'two_args',
  queue: (v) => typeof v === 'string' && QUEUES.includes(v),
  eta: validEta,
  retries: (v) => isInt(v, 0, 100),
  ttl: (v) => isInt(v, 1, MAX_JOB_TTL),
  args: validArgs,
  db: (v) => v === 'main',
};

// --- hostile values --------------------------------------------------------------------------

/** A JSON number token that JSON.stringify cannot write (1e400 reads as Infinity). */
class RawNumber {
  constructor(readonly token: string) {}
  toJSON() {
    return `\u0000raw:${this.token}\u0000`;
  }
}

/** JSON text of `value`, with RawNumber tokens written as they are. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"\\]*)\\u0000"/g, '$1');
}

/** The value a field's handler sees once the JSON text is parsed (RawNumber tokens read, -0 as -0). */
const parsedValue = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(jsonText(v)));

export const PROTOTYPE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];
const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);
const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
/** Any UTF-16 code units, lone surrogates included. */
const binary = fc.string({ unit: 'binary', maxLength: 40 });
const withNul = fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`);
/** 40 KB to 900 KB of JSON text, in 1- to 4-byte characters (and NULs, 6 bytes escaped): past every per-field limit, within the body limit. */
const huge = fc
  .tuple(fc.integer({ min: 40_000, max: 150_000 }), fc.constantFrom('x', 'é', '€', '😀', '\u0000'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));
const percentJunk = fc
  .tuple(fc.constantFrom('%', '%2', '%zz', '%E0%A4%A', '%C0%AF', '%FF', '%u0041', '%%', '%ED%A0%80', '%25'), fc.string({ maxLength: 8 }))
  .map(([p, s]) => `${s}${p}${s}`);
export const hostileString = fc.oneof(prototypeName, unicode, binary, withNul, huge, percentJunk, fc.string({ maxLength: 80 }));

const boundaryNumber = fc.oneof(
  fc.constantFrom(-1, 0, 1, 0.5, 1.5, 100, 101, 1000, 1001, 10_000, 10_001, MAX_JOB_TTL, MAX_JOB_TTL + 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e21, 1e308, -1e-300, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
);
/** Number tokens JSON.stringify never writes: infinities, and a -0 spelt with a huge exponent. */
const numberTokens = fc.constantFrom('1e400', '-1e400', '1E999', '-0.0e999999', '123456789e999').map((t) => new RawNumber(t));
export const hostileNumber = fc.oneof(boundaryNumber, numberTokens);
export const wrongType = fc.oneof(
  fc.boolean(),
  fc.constant(null),
  hostileNumber,
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);
const anything = fc.oneof(hostileString, hostileNumber, wrongType);

/** Argument lists for two_args that break a rule: count, types, sizes, NUL, lone surrogates. */
const hostileArgs = fc.oneof(
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 6 }).filter((a) => a.length !== 2),
  fc.array(fc.constant('1'), { minLength: 101, maxLength: 300 }),
  fc.tuple(fc.oneof(huge, withNul, binary, wrongType, fc.array(fc.string())), fc.constant('2')).map(([a, b]) => [a, b]),
  fc.tuple(fc.constant('1'), fc.oneof(huge, withNul, wrongType)).map(([a, b]) => [a, b]),
  fc.constant(['x'.repeat(MAX_ARG_BYTES + 1), '2']),
  anything,
);

/** A value of `field` that the README's rules refuse. */
function hostileValue(field: string) {
  const base = field === 'args' ? hostileArgs : anything;
  return base.filter((v) => !JOB_FIELDS[field]!(parsedValue(v)));
}

/** Valid values for the other fields of a two_args request, so the hostile one is alone. */
const validJobExtras = fc.record(
  {
    job_id: fc.stringMatching(/^[A-Za-z0-9_:-]{1,55}$/),
    queue: fc.constantFrom(...QUEUES),
    eta: fc.constantFrom(null, '2031-02-28 12:00:00', '1999-12-31 23:59:59', '9999-12-31 23:59:59'),
    retries: fc.integer({ min: 0, max: 100 }),
    ttl: fc.integer({ min: 1, max: MAX_JOB_TTL }),
    db: fc.constant('main'),
  },
  { requiredKeys: [] },
);

const unknownKey = fc
  .oneof(prototypeName, fc.string({ maxLength: 30 }), binary)
  .filter((k) => !Object.hasOwn(JOB_FIELDS, k) && k !== '__proto__');

// --- the cases -------------------------------------------------------------------------------

const submitJob = (body: string, mentions: string[], statuses = [400]): HostileCase => ({
  route: 'POST /tasks/{taskName}/jobs',
  parts: { pathParameters: { taskName: 'two_args' }, body },
  statuses,
  mentions,
  noCalls: true,
});

/** A job request for two_args with one field hostile and the others valid. */
const jobField = fc.constantFrom(...Object.keys(JOB_FIELDS)).chain((field) =>
  fc.tuple(validJobExtras, hostileValue(field)).map(([extras, value]) => {
    const body = { args: ['1', '2'], ...extras, [field]: value };
    return submitJob(jsonText(body), [field]);
  }),
);

/** An unknown field, prototype names included (`__proto__` written into the JSON text as a key). */
const jobUnknownField = fc.tuple(fc.oneof(unknownKey, fc.constant('__proto__')), anything).map(([key, value]) => {
  const text = `{${JSON.stringify(key)}:${jsonText(value)},${jsonText({ args: ['1', '2'] }).slice(1)}`;
  return submitJob(text, ['unknown field']);
});

/** Bodies that are not objects, malformed, nested too deep, or too big: answered for the body. */
const badBody = fc.oneof(
  fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.string({ maxLength: 20 }), hostileNumber, fc.boolean(), fc.constant(null)).map((v) => ({
    text: jsonText(v),
    status: 400,
  })),
  fc
    .string({ maxLength: 40 })
    .filter((t) => t.trim() !== '' && !parses(t))
    .map((text) => ({ text, status: 400 })),
  fc.tuple(fc.integer({ min: 11, max: 5000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => ({
    text: `{"args":${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`,
    status: 400,
  })),
  fc.constant({ text: jsonText({ args: ['x'.repeat(MAX_BODY_BYTES), '2'] }), status: 413 }),
);

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const jobBadBody = badBody.map(({ text, status }) => submitJob(text, ['body'], [status]));

/** Base64 bodies: garbage, or base64 of a body that is not an object. */
const base64Body = fc
  .oneof(fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b)), fc.jsonValue({ maxDepth: 1 }).filter((v) => v === null || typeof v !== 'object').map((v) => Buffer.from(JSON.stringify(v))))
  .filter((bytes) => {
    const text = bytes.toString('utf8');
    if (text.trim() === '') return false;
    return !parses(text) || typeof JSON.parse(text) !== 'object' || JSON.parse(text) === null || Array.isArray(JSON.parse(text));
  })
  .chain((bytes) =>
    fc.constantFrom('POST /tasks/{taskName}/jobs', 'POST /groups').map(
      (route): HostileCase => ({
        route: route as Route,
        parts: { pathParameters: { taskName: 'two_args' }, body: bytes.toString('base64'), isBase64Encoded: true },
        statuses: [400],
        mentions: ['body'],
        noCalls: true,
      }),
    ),
  );

/** A path parameter as API Gateway may hand it over: hostile strings, and valid-looking ones. */
const pathValue = fc.oneof(hostileString.filter((s) => s !== '' && !s.includes('/')), fc.stringMatching(/^[A-Za-z0-9_:-]{1,70}$/), prototypeName);
const decoded = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
};

const taskPath = pathValue
  .filter((s) => {
    const d = decoded(s);
    return d === undefined || !TASKS.includes(d);
  })
  .map(
    (taskName): HostileCase => ({
      route: 'POST /tasks/{taskName}/jobs',
      parts: { pathParameters: { taskName }, body: '{"args":["1","2"]}' },
      statuses: decoded(taskName) === undefined ? [400] : [404],
      mentions: decoded(taskName) === undefined ? ['taskName: malformed percent-encoding'] : ['unknown task'],
      noCalls: true,
    }),
  );

const queuePath = pathValue
  .filter((s) => {
    const d = decoded(s);
    return d === undefined || !QUEUES.includes(d);
  })
  .map(
    (queue): HostileCase => ({
      route: 'GET /jobs/queue/{queue}',
      parts: { pathParameters: { queue } },
      statuses: decoded(queue) === undefined ? [400] : [404],
      mentions: decoded(queue) === undefined ? ['queue: malformed percent-encoding'] : ['unknown queue'],
      noCalls: true,
    }),
  );

/** A query string parameter's hostile value, for the routes that read one. */
const badPurge = anything.map((v) => (typeof v === 'string' ? v : jsonText(v))).filter((v) => v !== 'true' && v !== 'false');
const badLimit = fc
  .oneof(hostileString, boundaryNumber.map(String), fc.constantFrom('0', '10001', '-1', '1.5', '1e3', ' 5', '5 ', '0x10', '１０'))
  .filter((v) => !(/^[0-9]{1,6}$/.test(v) && Number(v) >= 1 && Number(v) <= 10_000));
const badFormat = hostileString.filter((v) => !['json', 'csv'].includes(v.toLowerCase()));
const cursorJson = fc
  .oneof(
    fc.record({ r: fc.oneof(fc.integer({ max: -1 }), fc.double({ min: 0.1, max: 1e6, noInteger: true }), fc.string()), t: fc.string(), u: fc.string() }),
    fc.record({ r: fc.nat(), t: fc.oneof(fc.integer(), fc.constant(null)), u: fc.string() }),
    fc.record({ r: fc.nat(), t: fc.string(), u: fc.string(), x: fc.jsonValue({ maxDepth: 1 }) }),
    fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
  )
  .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url'));
const badCursor = fc.oneof(
  hostileString.filter((v) => v === '' || v.length > 512 || !/^[A-Za-z0-9_-]+$/.test(v)),
  cursorJson,
  fc.string({ unit: fc.constantFrom(...'abcXYZ019_-'), minLength: 513, maxLength: 700 }),
);

/** One of the ID routes with a path ID (and maybe one hostile query parameter). */
const idRoutes = fc
  .tuple(
    fc.constantFrom<[Route, string, number, string]>(
      ['GET /jobs/{jobID}', 'jobID', 63, 'unknown job'],
      ['DELETE /jobs/{jobID}', 'jobID', 63, 'unknown job'],
      ['GET /jobs/{jobID}/results', 'jobID', 63, 'unknown job'],
      ['GET /groups/{groupID}', 'groupID', 128, 'unknown group'],
      ['DELETE /groups/{groupID}', 'groupID', 128, 'unknown group'],
    ),
    pathValue,
    fc.option(fc.oneof(fc.tuple(fc.constant('purge'), badPurge), fc.tuple(fc.constant('limit'), badLimit), fc.tuple(fc.constant('format'), badFormat), fc.tuple(fc.constant('cursor'), badCursor)), { nil: undefined }),
  )
  .filter(([[route], , query]) => {
    if (!query) return true;
    return route.startsWith('DELETE') ? query[0] === 'purge' : route.endsWith('/results') && query[0] !== 'purge';
  })
  .map(([[route, param, maxLength, notFound], id, query]): HostileCase => {
    const d = decoded(id);
    const badId = d === undefined || d.length > maxLength || !ID_CHARS.test(d);
    const parts: RequestParts = { pathParameters: { [param]: id }, ...(query ? { queryStringParameters: { [query[0]]: query[1] } } : {}) };
    if (badId) return { route, parts, statuses: [400], mentions: [`${param}: `], noCalls: true };
    if (query) return { route, parts, statuses: [400], mentions: [`${query[0]}: `], noCalls: true };
    return { route, parts, statuses: [404], mentions: [notFound], noCalls: false };
  });

// --- groups ----------------------------------------------------------------------------------

const validMember = fc.constantFrom<Record<string, unknown>>({ task: 'no_args' }, { task: 'two_args', args: ['1', '2'] }, { task: 'my_two', args: ['a', 'b'] });
const groupCase = (body: string, mentions: string[], statuses = [400]): HostileCase => ({ route: 'POST /groups', parts: { body }, statuses, mentions, noCalls: true });
const GROUP_FIELDS: Record<string, (v: unknown) => boolean> = {
  group_id: (v) => typeof v === 'string' && v.length >= 1 && v.length <= 128 && ID_CHARS.test(v),
  concurrency: (v) => isInt(v, 1, 1000),
  jobs: () => false, // generated invalid by construction below
};

const groupField = fc.oneof(
  fc.constantFrom('group_id', 'concurrency').chain((field) =>
    fc.tuple(fc.array(validMember, { minLength: 1, maxLength: 3 }), anything.filter((v) => !GROUP_FIELDS[field]!(parsedValue(v)))).map(([jobs, value]) =>
      groupCase(jsonText({ jobs, [field]: value }), [field]),
    ),
  ),
  fc
    .oneof(
      anything.filter((v) => !Array.isArray(v)),
      fc.constant([]),
      fc.constant(Array.from({ length: 2001 }, () => ({ task: 'no_args' }))),
    )
    .map((jobs) => groupCase(jsonText({ jobs }), ['jobs'])),
  fc.oneof(unknownKey, fc.constant('__proto__')).map((key) => groupCase(`{${JSON.stringify(key)}:1,"jobs":[{"task":"no_args"}]}`, ['unknown field'])),
  badBody.map(({ text, status }) => groupCase(text.replace('"args"', '"jobs"'), ['body'], [status])),
  // Together past the group's args limit, each job and argument within its own.
  fc.integer({ min: 17, max: 40 }).map((n) =>
    groupCase(jsonText({ jobs: Array.from({ length: n }, () => ({ task: 'two_args', args: ['a'.repeat(32_000), 'b'.repeat(32_000)] })) }), [
      'jobs: the args of all jobs together',
    ]),
  ),
);

/** One member of a valid group made hostile: a field, its task, its type, or a duplicate job_id. */
const groupMember = fc.tuple(fc.array(validMember, { minLength: 1, maxLength: 4 }), fc.nat()).chain(([jobs, n]) => {
  const i = n % (jobs.length + 1);
  const at = (member: unknown) => jsonText({ jobs: [...jobs.slice(0, i), member, ...jobs.slice(i)] });
  return fc.oneof(
    fc
      .constantFrom(...Object.keys(JOB_FIELDS).filter((f) => f !== 'task'))
      .chain((field) => fc.tuple(validJobExtras, hostileValue(field)).map(([extras, value]) => groupCase(at({ task: 'two_args', args: ['1', '2'], ...extras, [field]: value }), [`jobs[${i}]`, field]))),
    anything
      .filter((t) => !(typeof t === 'string' && TASKS.includes(t)))
      .map((task) => groupCase(at({ task, args: ['1', '2'] }), [`jobs[${i}]`, 'task'])),
    anything.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof RawNumber).map((member) => groupCase(at(member), [`jobs[${i}]`])),
    fc.stringMatching(/^[A-Za-z0-9_:-]{1,55}$/).map((id) =>
      groupCase(jsonText({ jobs: [...jobs, { task: 'no_args', job_id: id }, { task: 'no_args', job_id: id }] }), [`jobs[${jobs.length + 1}]`, 'job_id']),
    ),
  );
});

/** Several fields hostile at once: the message names at least one of them. */
const manyFields = fc
  .uniqueArray(fc.constantFrom(...Object.keys(JOB_FIELDS)), { minLength: 2, maxLength: 5 })
  .chain((fields) => fc.tuple(fc.constant(fields), fc.tuple(...fields.map((f) => hostileValue(f)))))
  .map(([fields, values]): HostileCase => {
    const body: Record<string, unknown> = { args: ['1', '2'] };
    fields.forEach((f, i) => (body[f] = values[i]));
    return { ...submitJob(jsonText(body), []), mentions: [], anyOf: fields } as HostileCase & { anyOf: string[] };
  });

/** Every kind of hostile request, over every route. */
export const hostileCase: fc.Arbitrary<HostileCase> = fc.oneof(
  { arbitrary: jobField, weight: 6 },
  { arbitrary: jobUnknownField, weight: 1 },
  { arbitrary: jobBadBody, weight: 2 },
  { arbitrary: base64Body, weight: 1 },
  { arbitrary: taskPath, weight: 1 },
  { arbitrary: queuePath, weight: 1 },
  { arbitrary: idRoutes, weight: 4 },
  { arbitrary: groupField, weight: 2 },
  { arbitrary: groupMember, weight: 4 },
  { arbitrary: manyFields, weight: 2 },
);

/** The named kinds, so a test can give each its own property (and its own shrinking). */
export const HOSTILE_KINDS = { jobField, jobUnknownField, jobBadBody, base64Body, taskPath, queuePath, idRoutes, groupField, groupMember, manyFields };

/** Writes or sends: what a refused request may never make. (A conditional update that fails writes nothing, and is checked by the table's count.) */
const SENDS = /^SQS:SendMessage/;

/**
 * The property: `c` is answered with one of its statuses (always a 4xx), the
 * error envelope whose message names what was wrong, no SQS message sent, and,
 * when `c.noCalls`, no AWS call at all. When the handler made any call (and
 * `countStores` is on), the table must hold no item and the queues no message
 * afterwards (the world starts empty); a request that made no call cannot have
 * stored anything.
 *
 * @returns the status, for tallies; throws with the request and answer on a breach.
 */
export async function checkRefused(world: HandlerWorld, c: HostileCase, countStores = true): Promise<number> {
  world.calls.splice(0);
  const answer = await world.request(c.route, c.parts);
  const calls = [...world.calls];
  const problems: string[] = [];
  const message = answer.json?.message;
  if (!c.statuses.includes(answer.statusCode) || answer.statusCode < 400 || answer.statusCode >= 500) {
    problems.push(`status ${answer.statusCode}, expected ${c.statuses.join(' or ')}`);
  }
  if (answer.json?.status !== 'error' || answer.json.data !== null || typeof message !== 'string' || Object.keys(answer.json).length !== 3) {
    problems.push('not the error envelope');
  } else {
    const anyOf = (c as { anyOf?: string[] }).anyOf;
    for (const m of c.mentions) if (!message.includes(m)) problems.push(`message does not name ${JSON.stringify(m)}`);
    if (anyOf && !anyOf.some((f) => message.includes(f))) problems.push(`message names none of ${anyOf.join(', ')}`);
  }
  if (calls.some((call) => SENDS.test(call))) problems.push(`sent to SQS: ${calls.join(', ')}`);
  if (c.noCalls && calls.length > 0) problems.push(`expected no AWS call, made ${calls.join(', ')}`);
  if (countStores && calls.length > 0) {
    const [items, messages] = await Promise.all([world.itemCount(), world.messageCount()]);
    if (items > 0) problems.push(`${items} item(s) in DynamoDB`);
    if (messages > 0) problems.push(`${messages} message(s) in SQS`);
  }
  if (problems.length > 0) {
    const shown = (s: string | undefined) => (s && s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s);
    throw new Error(
      `${c.route} ${JSON.stringify({ ...c.parts, body: shown(c.parts.body) })}\n  answered ${answer.statusCode} ${shown(answer.body)}\n  - ${problems.join('\n  - ')}`,
    );
  }
  return answer.statusCode;
}
