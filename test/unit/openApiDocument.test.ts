/**
 * GET /openapi.json's document: valid OpenAPI 3.1 by a maintained validator,
 * listing exactly the HTTP routes serverless.yml defines, and generated from the
 * very zod schemas that validate the requests (a JSON Schema validator given the
 * document's body schema agrees with the zod schema on what is a valid body),
 * with every error code, and a jobID pattern that keeps /jobs/queue/{queue} apart.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { functions } from '../../lib/deploy/serviceDefinition.js';
import { groupBody } from '../../lib/groups/parseGroupRequest.js';
import { jobBody, taskJobBody } from '../../lib/jobs/parseJobRequest.js';
import type { TypedTask } from '../../lib/tasks/params/taskArgsSchema.js';
import { clientTasks } from '../../scripts/generateClient.js';
import { validValue } from '../support/paramValues.js';
import { API_ROUTES, RESULTS_DEFAULT_LIMIT, RESULTS_MAX_LIMIT, openApiDocument, openApiPath } from '../../lib/openapi/openApiDocument.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../lib/results/readJobResults.js';
import { MAX_WAIT_SECONDS as SERVED_MAX_WAIT, parseWait } from '../../lib/longPoll/parseWait.js';
import { MAX_WAIT_SECONDS, taskSchemaName } from '../../lib/openapi/openApiDocument.js';
import { ERROR_CODES, WIRE_ERROR_CODES } from '../../lib/errorCodes.js';
import { newJobIdProblem } from '../../lib/jobs/jobId.js';

const config = parseConfig('[queues.a]\n', 'test', {});

/** Every HTTP route of serverless.yml's functions, as "METHOD /path", but the catch-all ($default). */
function serverlessRoutes(): string[] {
  const fns = functions(config) as Record<string, { events?: { httpApi?: { method: string; path: string } }[] }>;
  return Object.values(fns)
    .flatMap((fn) => fn.events ?? [])
    .filter((e) => e.httpApi && e.httpApi.path !== '*')
    .map((e) => `${e.httpApi!.method.toUpperCase()} ${openApiPath(e.httpApi!.path)}`)
    .sort();
}

describe('the OpenAPI document', () => {
  it.each([
    ['none', { auth: 'none' as const, jwtAudience: [] }],
    ['jwt', { auth: 'jwt' as const, jwtIssuer: 'https://issuer.example/', jwtAudience: ['app'] }],
    ['iam', { auth: 'iam' as const, jwtAudience: [] }],
  ])('is valid OpenAPI 3.1 (auth %s)', async (_, api) => {
    const doc = openApiDocument(api);
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('lists every HTTP route serverless.yml defines, and no other', () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] });
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(serverlessRoutes().length).toBeGreaterThanOrEqual(14);
    expect(documented).toEqual(serverlessRoutes());
    expect(new Set(API_ROUTES.map((r) => r.operationId)).size).toBe(API_ROUTES.length);
  });

  it('sends what no route takes to the catch-all route, whose answers are error envelopes', () => {
    const fns = functions(config) as Record<string, { handler: string; events?: { httpApi?: unknown }[] }>;
    expect(fns.routeNotFound).toMatchObject({ handler: 'handlers/http/routeNotFound.handler', events: [{ httpApi: { method: '*', path: '*' } }] });
  });

  it('answers a 4XX on every operation but the console\'s (whose check redocly.yaml leaves to this test)', () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    for (const route of API_ROUTES) {
      const statuses = Object.keys(doc.paths[openApiPath(route.path)][route.method.toLowerCase()].responses);
      expect(statuses.some((s) => s.startsWith('4')), `${route.method} ${route.path}`).toBe(!route.public);
    }
  });

  it("lists every code an error answer can carry, and the codes of each error status's answers", () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    const code = doc.components.schemas.Error.properties.code;
    expect(code.enum).toEqual(WIRE_ERROR_CODES);
    expect(doc.components.schemas.Error.required).toContain('code');
    for (const c of WIRE_ERROR_CODES) expect(code.description).toContain(`\`${c}\` (${ERROR_CODES[c].status})`);
    expect(WIRE_ERROR_CODES).toContain('internal');
    expect(WIRE_ERROR_CODES).not.toContain('config_invalid');
    expect(doc.paths['/jobs/{jobID}'].delete.responses['409'].description).toContain('job_active');
  });

  it('declares the jobID pattern: what a path may hold, less "queue", so /jobs/{jobID}/... never means /jobs/queue/...', () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    for (const [path, method] of [['/jobs/{jobID}', 'get'], ['/jobs/{jobID}', 'delete'], ['/jobs/{jobID}/results', 'get']] as const) {
      const param = doc.paths[path][method].parameters.find((p: any) => p.name === 'jobID');
      const pattern = new RegExp(param.schema.pattern);
      expect(pattern.test('queue'), path).toBe(false);
      expect(param.description).toContain('"queue"');
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[A-Za-z0-9_:-]{0,70}$/), fc.constantFrom('queue', 'Queue', 'queue1', 'queues')), (id) => {
          expect(pattern.test(id), id).toBe(newJobIdProblem(id) === undefined);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('names its servers (relative: the API that serves it) and its license', () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.info.license).toEqual({ name: 'MIT', identifier: 'MIT' });
    expect(doc.security).toEqual([]);
  });

  it('asks for a bearer token with JWT auth, and leaves the console open', () => {
    const doc = openApiDocument({ auth: 'jwt', jwtIssuer: 'https://issuer.example/', jwtAudience: ['app'] }) as any;
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/ui'].get.security).toEqual([]);
    expect(doc.paths['/jobs'].get.security).toBeUndefined();
  });

  it('describes the query of GET /jobs from its validator', () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    const params = doc.paths['/jobs'].get.parameters;
    expect(params.map((p: any) => p.name)).toEqual(['queue', 'state', 'task', 'limit', 'tenant', 'cursor', 'X-Tenant-Id']);
    expect(params.find((p: any) => p.name === 'state').schema.enum).toEqual(['PENDING', 'STARTED', 'RETRY', 'SUCCESS', 'FAILURE', 'CANCELLED']);
    expect(params.every((p: any) => p.required === false)).toBe(true);
  });

  it('describes ?wait= of GET /jobs/{jobID} and GET /groups/{groupID} as lib/longPoll parses it', () => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    expect(MAX_WAIT_SECONDS).toBe(SERVED_MAX_WAIT);
    for (const path of ['/jobs/{jobID}', '/groups/{groupID}']) {
      const wait = doc.paths[path].get.parameters.find((p: any) => p.name === 'wait');
      expect(wait.description).toContain(`1..${SERVED_MAX_WAIT}`);
      const pattern = new RegExp(wait.schema.pattern);
      // What the pattern lets through that the route refuses is only out of range, as the description says.
      for (const v of ['0', '1', '5', '20', '21', '99', '100', '1.5', 'abc', '', '-1', ' 1']) {
        const accepted = (() => {
          try {
            return parseWait(v) !== undefined;
          } catch {
            return false;
          }
        })();
        if (accepted) expect(pattern.test(v), v).toBe(true);
        if (pattern.test(v) && !accepted) expect(Number(v) < 1 || Number(v) > SERVED_MAX_WAIT, v).toBe(true);
      }
    }
  });

  it("states the results route's limits as lib/results enforces them", () => {
    expect([RESULTS_DEFAULT_LIMIT, RESULTS_MAX_LIMIT]).toEqual([DEFAULT_LIMIT, MAX_LIMIT]);
  });

  describe.each([
    ['SubmitJobBody', jobBody],
    ['SubmitGroupBody', groupBody],
  ])('%s agrees with the zod schema that validates it', (name, schema) => {
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }) as any;
    const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas[name]);
    const keys = Object.keys(schema.shape);
    const value = fc.oneof(fc.string(), fc.integer({ min: -5, max: 200 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.object()), { maxLength: 3 }));
    const body = fc.dictionary(fc.oneof(...keys.map((k) => fc.constant(k)), fc.string({ maxLength: 4 })), value, { maxKeys: 4 });

    it('on random bodies', () => {
      fc.assert(
        fc.property(body, (b) => {
          const json = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
          expect(validate(json), JSON.stringify(json)).toBe(schema.safeParse(json).success);
        }),
        { numRuns: 400 },
      );
    });
  });

  describe("each task's own job body (its declared parameters)", () => {
    const tasks = clientTasks();
    const typed = tasks.filter((t) => t.params) as (TypedTask & { params: NonNullable<TypedTask['params']> })[];
    const doc = openApiDocument({ auth: 'none', jwtAudience: [] }, undefined, tasks) as any;

    it('is valid OpenAPI 3.1, with a path per task that declares parameters', async () => {
      await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
      expect(typed.length).toBeGreaterThanOrEqual(3);
      for (const task of tasks) expect(Boolean(doc.paths[`/tasks/${task.name}/jobs`]), task.name).toBe(Boolean(task.params));
      expect(doc.paths['/tasks/get_orders_by_customer/jobs'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/SubmitJobBody_get_orders_by_customer' });
    });

    /** Values near and far from what each type takes. */
    const value = fc.oneof(
      fc.constantFrom('42', '-7', '007', '2147483648', '1.5', '12.50', '1e3', 'x', '', 'true', 'false', '2024-01-05', '20240105', '2023-02-29', '2024-02-29', '2024-13-01', '2024-01-05 10:00', '2024-01-05T10:00:00+02:00', 'GB', 'gb', 'total', 'ordered_at', 'email'),
      fc.integer({ min: -5, max: 3000 }),
      fc.constantFrom(2 ** 31, -(2 ** 31), 2 ** 53, 0.5, -0),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 6 }),
      fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), { maxLength: 3 }),
    );

    describe.each(typed.map((t) => [t.name, t] as const))('%s', (name, task) => {
      const validate = new Ajv2020({ strict: false }).compile(doc.components.schemas[taskSchemaName(name)]);
      const schema = taskJobBody(task);
      const names = task.params.map((p) => p.name);
      const args = fc.oneof(
        fc.dictionary(fc.oneof(...names.map((n) => fc.constant(n)), fc.string({ maxLength: 3 })), value, { maxKeys: names.length + 1 }),
        fc.record(Object.fromEntries(task.params.map((p) => [p.name, fc.oneof(validValue(p), validValue(p), value)])), { requiredKeys: [] }),
        fc.tuple(...task.params.map((p) => fc.oneof(validValue(p), validValue(p), value))),
        fc.array(value, { maxLength: names.length + 1 }),
        value,
      );
      const body = fc.oneof(
        fc.record({ args }, { requiredKeys: [] }),
        fc.record({ args, job_id: fc.string({ maxLength: 4 }), max_age: fc.integer({ min: -1, max: 10 }) }, { requiredKeys: [] }),
        fc.dictionary(fc.oneof(fc.constant('args'), fc.constant('ttl'), fc.string({ maxLength: 4 })), value, { maxKeys: 3 }),
      );

      it('agrees with the server on fuzzed bodies', () => {
        let accepted = 0;
        fc.assert(
          fc.property(body, (b) => {
            const json = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
            const ok = schema.safeParse(json).success;
            accepted += ok ? 1 : 0;
            expect(validate(json), JSON.stringify(json)).toBe(ok);
          }),
          { numRuns: 600 },
        );
        expect(accepted).toBeGreaterThan(0);
      });
    });
  });
});
