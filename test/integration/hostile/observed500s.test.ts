/**
 * The requests that once answered 500, each now a 4xx with the error envelope
 * that names what was wrong, leaving no record in DynamoDB and no message in SQS.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode } from '../../../lib/errorCodes.js';
import { startHandlerWorld, type Answer, type HandlerWorld } from '../../support/handlerWorld.js';

let world: HandlerWorld;

beforeAll(async () => {
  world = await startHandlerWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

beforeEach(() => {
  world.calls.splice(0);
});

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];

/** A 4xx with the envelope whose code is the status's, whose message contains `field`, and nothing stored or queued. */
async function expectRefused(answer: Answer, status: number, field: string) {
  expect(answer.statusCode, answer.body).toBe(status);
  expect(answer.json).toEqual({ status: 'error', code: expect.any(String), message: expect.stringContaining(field), data: null });
  expect(ERROR_CODES[answer.json?.code as ErrorCode].status).toBe(status);
  expect(world.calls.filter((c) => !/:(GetItem|BatchGetItem|Query)$/.test(c)), 'writes or sends').toEqual([]);
  expect(await world.itemCount()).toBe(0);
  expect(await world.messageCount()).toBe(0);
}

const submit = (body: unknown) =>
  world.request('POST /tasks/{taskName}/jobs', { pathParameters: { taskName: 'two_args' }, body: JSON.stringify(body) });
const submitGroup = (body: unknown) => world.request('POST /groups', { body: JSON.stringify(body) });

describe('prototype names as a queue', () => {
  it.each(PROTOTYPE_NAMES)('a job request with "queue": %j is a 400 naming the queue', async (queue) => {
    await expectRefused(await submit({ args: ['1', '2'], queue }), 400, `queue: unknown queue "${queue}"`);
  });

  it.each(PROTOTYPE_NAMES)('a group job with "queue": %j is a 400 naming the job and the queue', async (queue) => {
    const answer = await submitGroup({ jobs: [{ task: 'no_args' }, { task: 'two_args', args: ['1', '2'], queue }] });
    await expectRefused(answer, 400, `jobs[1]: queue: unknown queue "${queue}"`);
  });

  it.each(PROTOTYPE_NAMES)('GET /jobs/queue/%s is a 404, asking nothing of DynamoDB', async (queue) => {
    const answer = await world.request('GET /jobs/queue/{queue}', { pathParameters: { queue } });
    await expectRefused(answer, 404, `unknown queue "${queue}"`);
    expect(world.calls).toEqual([]);
  });
});

describe('the job ID "queue", which GET /jobs/queue/{queue} holds', () => {
  it('is a 400 at submit, naming the reserved ID, with code invalid_request', async () => {
    const answer = await submit({ args: ['1', '2'], job_id: 'queue' });
    await expectRefused(answer, 400, 'job_id: "queue" is reserved');
    expect(answer.json?.code).toBe('invalid_request');
  });

  it('is a 400 as a group member\'s job_id', async () => {
    await expectRefused(await submitGroup({ jobs: [{ task: 'no_args', job_id: 'queue' }] }), 400, 'job_id: "queue" is reserved');
  });

  it('is still looked up by GET /jobs/{jobID} (a job stored under it before is read as ever)', async () => {
    const answer = await world.request('GET /jobs/{jobID}', { pathParameters: { jobID: 'queue' } });
    await expectRefused(answer, 404, 'unknown job "queue"');
    expect(answer.json?.code).toBe('job_not_found');
    expect(world.calls).toEqual(['DynamoDB:GetItem']);
  });
});

describe('sizes past what DynamoDB takes', () => {
  it('a job with one 500 KB argument is a 400 naming the argument and the limit', async () => {
    await expectRefused(await submit({ args: ['x'.repeat(500_000), '2'] }), 400, 'args[0]: at most 32768 bytes (got 500000)');
  });

  it('a group whose jobs carry 4 MB of arguments is a 400 naming the limit', async () => {
    // 100 jobs: one transaction of 4.2 MB, each job (42 KB) and argument (21 KB) within their own limits.
    const jobs = Array.from({ length: 100 }, () => ({ task: 'two_args', args: ['y'.repeat(21_000), 'z'.repeat(21_000)] }));
    await expectRefused(await submitGroup({ jobs }), 400, 'jobs: the args of all jobs together: at most 1048576 bytes (got 4200000)');
  });
});

describe('path IDs longer than any valid ID', () => {
  const long = 'j'.repeat(2100);
  it.each([
    ['GET /jobs/{jobID}', 'jobID'],
    ['DELETE /jobs/{jobID}', 'jobID'],
    ['GET /jobs/{jobID}/results', 'jobID'],
    ['GET /groups/{groupID}', 'groupID'],
    ['DELETE /groups/{groupID}', 'groupID'],
  ] as const)('%s with a 2,100-character ID is a 400 without a DynamoDB call', async (route, param) => {
    const answer = await world.request(route, { pathParameters: { [param]: long } });
    await expectRefused(answer, 400, `${param}: at most`);
    expect(world.calls).toEqual([]);
  });
});

describe('malformed percent-encoding in a path parameter', () => {
  // API Gateway may hand over "%25" as it came or already decoded to "%"; neither may be a 500.
  it.each(['%', '%25', '%E0%A4%A', 'a%zz'])('GET /jobs/%s is a 400 with the envelope', async (jobID) => {
    const answer = await world.request('GET /jobs/{jobID}', { pathParameters: { jobID } });
    await expectRefused(answer, 400, 'jobID: ');
    expect(world.calls).toEqual([]);
  });

  it.each([
    ['POST /tasks/{taskName}/jobs', 'taskName'],
    ['GET /jobs/queue/{queue}', 'queue'],
    ['DELETE /jobs/{jobID}', 'jobID'],
    ['GET /jobs/{jobID}/results', 'jobID'],
    ['GET /groups/{groupID}', 'groupID'],
    ['DELETE /groups/{groupID}', 'groupID'],
  ] as const)('%s with "%%" is a 400 naming %s', async (route, param) => {
    const answer = await world.request(route, { pathParameters: { [param]: '%' } });
    await expectRefused(answer, 400, `${param}: malformed percent-encoding`);
  });
});
