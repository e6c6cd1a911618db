/**
 * Hostile requests for every route and every field, as fast-check arbitraries,
 * each with what its answer must say (checked by `checkRefused`). Used by the
 * fuzz test (a few seconds) and by bench/fuzz.ts (as long as you like), against
 * the handlers of a HandlerWorld. The values come from hostileValues.ts.
 */
import fc from 'fast-check';
import type { RequestParts, Route } from './handlerWorld.js';
import {
  ID_CHARS,
  orGoZero,
  JOB_FIELDS,
  MAX_BODY_BYTES,
  QUEUES,
  RawNumber,
  TASKS,
  anything,
  boundaryNumber,
  hostileNumber,
  hostileString,
  hostileValue,
  isInt,
  jsonText,
  parsedValue,
  prototypeName,
  unknownKey,
  validJobExtras,
} from './hostileValues.js';

/** What one hostile request is, and what its answer must say. */
export interface HostileCase {
  route: Route;
  parts: RequestParts;
  /** Allowed statuses. */
  statuses: number[];
  /** The message must contain every one of these (the field, and the job for a group member). */
  mentions: string[];
  /** The message must contain at least one of these (several fields hostile at once). */
  anyOf?: string[];
  /** Refused before any DynamoDB or SQS call. */
  noCalls: boolean;
}

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
      ['GET /jobs/{jobID}/export', 'jobID', 63, 'unknown job'],
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

/** GET /jobs with one hostile query parameter: an unconfigured queue, an unknown state, a bad limit or cursor, an unknown parameter. */
const JOB_STATES = ['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED'];
const recentCursorJson = fc
  .oneof(
    fc.record({ b: fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)) }),
    fc.record({ b: fc.string({ minLength: 1 }), x: fc.jsonValue({ maxDepth: 1 }) }),
    fc.jsonValue({ maxDepth: 2 }).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
  )
  .map((v) => Buffer.from(JSON.stringify(v)).toString('base64url'));
const listJobsQuery = fc
  .oneof(
    hostileString.filter((v) => !QUEUES.includes(v)).map((v) => ['queue', v] as const),
    hostileString.filter((v) => !JOB_STATES.includes(v)).map((v) => ['state', v] as const),
    fc.oneof(fc.constant(''), fc.string({ minLength: 257, maxLength: 400 })).map((v) => ['task', v] as const),
    fc
      .oneof(hostileString, boundaryNumber.map(String), fc.constantFrom('0', '101', '-1', '1.5', '1e2', ' 5', '１０'))
      .filter((v) => !(/^[0-9]{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100))
      .map((v) => ['limit', v] as const),
    fc
      .oneof(
        hostileString.filter((v) => v.length > 512 || !/^[A-Za-z0-9_-]+$/.test(v)),
        recentCursorJson,
      )
      .map((v) => ['cursor', v] as const),
    fc
      .tuple(fc.oneof(prototypeName, fc.string({ maxLength: 20 })), fc.string({ maxLength: 10 }))
      .filter(([k]) => !['queue', 'state', 'task', 'limit', 'cursor'].includes(k))
      .map(([k, v]) => [k, v, 'unknown query parameter'] as const),
  )
  .map(
    ([key, value, mention]): HostileCase => ({
      route: 'GET /jobs',
      parts: { queryStringParameters: { [key]: value } },
      statuses: [400],
      mentions: [mention ?? `${key}: `],
      noCalls: true,
    }),
  );

// --- groups ----------------------------------------------------------------------------------

const validMember = fc.constantFrom<Record<string, unknown>>({ task: 'no_args' }, { task: 'two_args', args: ['1', '2'] }, { task: 'my_two', args: ['a', 'b'] });
const groupCase = (body: string, mentions: string[], statuses = [400]): HostileCase => ({ route: 'POST /groups', parts: { body }, statuses, mentions, noCalls: true });
const GROUP_FIELDS: Record<string, (v: unknown) => boolean> = {
  group_id: orGoZero('', (v) => typeof v === 'string' && v.length >= 1 && v.length <= 128 && ID_CHARS.test(v)),
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
    return { ...submitJob(jsonText(body), []), anyOf: fields };
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
  { arbitrary: listJobsQuery, weight: 2 },
  { arbitrary: groupField, weight: 2 },
  { arbitrary: groupMember, weight: 4 },
  { arbitrary: manyFields, weight: 2 },
);

/** The named kinds, so a test can give each its own property (and its own shrinking). */
export const HOSTILE_KINDS = { jobField, jobUnknownField, jobBadBody, base64Body, taskPath, queuePath, idRoutes, listJobsQuery, groupField, groupMember, manyFields };
