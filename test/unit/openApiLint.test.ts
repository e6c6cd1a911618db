/**
 * GET /openapi.json passes `redocly lint` with the recommended rules (less the two
 * that redocly.yaml turns off, each with its reason), for every kind of auth: the
 * document is written to files straight from lib/openapi, no server needed.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import type { ApiAuthConfig } from '../../lib/config/types.js';
import { openApiDocument } from '../../lib/openapi/openApiDocument.js';
import { clientTasks } from '../../scripts/generateClient.js';
import { scratchDir } from '../support/scratchDir.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const REDOCLY = path.join(ROOT, 'node_modules/.bin/redocly');

const APIS: Record<string, ApiAuthConfig> = {
  none: { auth: 'none', jwtAudience: [] },
  jwt: { auth: 'jwt', jwtIssuer: 'https://issuer.example/', jwtAudience: ['app'] },
  iam: { auth: 'iam', jwtAudience: [] },
};

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

/** `redocly lint` of one file with the project's redocly.yaml: the problems it reports, one line each. */
async function lint(file: string): Promise<string[]> {
  const run = await promisify(execFile)(REDOCLY, ['lint', '--config', path.join(ROOT, 'redocly.yaml'), '--format=json', file], {
    cwd: ROOT,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  }).catch((err: { stdout?: string; stderr?: string }) => err);
  const report = JSON.parse(String(run.stdout)) as LintReport;
  const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} (${p.location.map((l) => l.pointer).join(', ')})`);
  expect(report.totals.errors + report.totals.warnings).toBe(problems.length);
  return problems;
}

it.each(Object.keys(APIS))('passes redocly lint (recommended rules) with no error and no warning (auth %s)', async (name) => {
  const file = path.join(scratchDir('openapi-lint-'), `${name}.json`);
  writeFileSync(file, JSON.stringify(openApiDocument(APIS[name]!)));
  expect(await lint(file)).toEqual([]);
}, 30_000);

it("passes with a path and job body per task with declared parameters (the sample tasks)", async () => {
  const file = path.join(scratchDir('openapi-lint-'), 'tasks.json');
  writeFileSync(file, JSON.stringify(openApiDocument(APIS.none!, undefined, clientTasks())));
  expect(await lint(file)).toEqual([]);
}, 30_000);

it('finds what the recommended rules find: a document with no servers fails', async () => {
  const { servers: _, ...doc } = openApiDocument(APIS.none!);
  const file = path.join(scratchDir('openapi-lint-'), 'no-servers.json');
  writeFileSync(file, JSON.stringify(doc));
  expect(await lint(file)).toEqual([expect.stringMatching(/^no-empty-servers:/)]);
}, 30_000);
