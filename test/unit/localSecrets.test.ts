/**
 * A local run (emulator endpoints set) never reads AWS secrets: a function's cold
 * start refuses the config's references with how to run locally, and asks no reader.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAwsClients, isLocalRun } from '../../lib/awsClients.js';
import { createSecretReader } from '../../lib/config/createSecretReader.js';
import type { SecretReader } from '../../lib/config/resolveSecretRefs.js';
import { ConfigError } from '../../lib/errors.js';
import { loadApp } from '../../lib/loadApp.js';
import { readSettings } from '../../lib/settings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sqljobber-local-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  path.join(dir, 'config.toml'),
  '[db.sales]\ntype = "postgres"\ndsn = "postgres://report:${ssm:/sqljobber/prod/sales-password}@sales.internal/sales"\n' +
    '[results.res]\ntype = "postgres"\ndsn = "${secretsmanager:sqljobber/prod/res-dsn}"\n',
);
writeFileSync(path.join(dir, 'tasks.sql'), '-- name: t\nSELECT 1;\n');

const base = { SQL_JOBBER_CONFIG: path.join(dir, 'config.toml'), SQL_JOBBER_SQL_DIR: dir, SQL_JOBBER_RESOLVE_SECRETS: 'true' };
const local = { ...base, SQL_JOBBER_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1', SQL_JOBBER_SQS_ENDPOINT: 'http://127.0.0.1:2' };

function recordingReader(): SecretReader & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    parameter: async (name) => (asked.push(`ssm:${name}`), 'pw'),
    secret: async (name) => (asked.push(`secretsmanager:${name}`), 'postgres://u:p@h/d'),
  };
}

describe('secrets in a local run', () => {
  it("a function's cold start refuses the references, saying how to run locally, and reads none", async () => {
    const reader = recordingReader();
    const err = await loadApp(readSettings(local), reader).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      expect.stringMatching(/^\$\{ssm:\/sqljobber\/prod\/sales-password\}, \$\{secretsmanager:sqljobber\/prod\/res-dsn\}: the local stack never calls AWS.*SQL_JOBBER_CONFIG=config\.local\.toml npm start/),
    ]);
    expect(reader.asked).toEqual([]);
  });

  it('in AWS (no local endpoints), the same cold start reads them', async () => {
    const reader = recordingReader();
    await loadApp(readSettings(base), reader);
    expect(reader.asked.sort()).toEqual(['secretsmanager:sqljobber/prod/res-dsn', 'ssm:/sqljobber/prod/sales-password']);
  });

  it('the default reader of a local run refuses every read without sending anything', async () => {
    const reader = createSecretReader(readSettings(local));
    await expect(reader.parameter('/x')).rejects.toThrow('the local stack never calls AWS');
    await expect(reader.secret('x')).rejects.toThrow('the local stack never calls AWS');
  });

  it('both SDK clients point at the emulators, or neither does', () => {
    expect(isLocalRun(readSettings(local))).toBe(true);
    expect(isLocalRun(readSettings(base))).toBe(false);
    expect(() => createAwsClients(readSettings({ ...base, SQL_JOBBER_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' }))).toThrow(
      'SQL_JOBBER_DYNAMODB_ENDPOINT and SQL_JOBBER_SQS_ENDPOINT are set together or not at all',
    );
  });
});
