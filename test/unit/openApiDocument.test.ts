/**
 * GET /openapi.json's document: valid OpenAPI 3.1 by a maintained validator,
 * listing exactly the HTTP routes serverless.yml defines, and generated from the
 * very zod schemas that validate the requests (a JSON Schema validator given the
 * document's body schema agrees with the zod schema on what is a valid body).
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/loadConfig.js';
import { functions } from '../../lib/deploy/serviceDefinition.js';
import { groupBody } from '../../lib/groups/parseGroupRequest.js';
import { jobBody } from '../../lib/jobs/parseJobRequest.js';
import { API_ROUTES, RESULTS_DEFAULT_LIMIT, RESULTS_MAX_LIMIT, openApiDocument, openApiPath } from '../../lib/openapi/openApiDocument.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../lib/results/readJobResults.js';
import { MAX_WAIT_SECONDS as SERVED_MAX_WAIT, parseWait } from '../../lib/longPoll/parseWait.js';
import { MAX_WAIT_SECONDS } from '../../lib/openapi/openApiDocument.js';

const config = parseConfig('[queues.a]\n', 'test', {});

/** Every HTTP route of serverless.yml's functions, as "METHOD /path". */
function serverlessRoutes(): string[] {
  const fns = functions(config) as Record<string, { events?: { httpApi?: { method: string; path: string } }[] }>;
  return Object.values(fns)
    .flatMap((fn) => fn.events ?? [])
    .filter((e) => e.httpApi)
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
    expect(params.map((p: any) => p.name)).toEqual(['queue', 'state', 'task', 'limit', 'cursor']);
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
});
