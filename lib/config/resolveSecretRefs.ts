import { ConfigError } from '../errors.js';
import type { SecretRef } from './types.js';

/** Reads raw secret values; the AWS adapter is lib/config/createSecretReader.ts. */
export interface SecretReader {
  /** An SSM parameter's value (SecureString decrypted), by name or ARN. */
  parameter(name: string): Promise<string>;
  /** A Secrets Manager secret's string, by name or ARN. */
  secret(name: string): Promise<string>;
}

/**
 * What a local run (`npm start`, `npm run check`) says about a config whose dsns
 * read secrets from AWS: it never calls AWS, so they cannot be resolved there.
 */
export const LOCAL_SECRETS_HINT =
  'the local stack never calls AWS, so it does not read SSM Parameter Store or Secrets Manager; ' +
  'keep this config for deploying and give the local run a config of its own that names reachable databases ' +
  '(SQL_JOBBER_CONFIG=config.local.toml npm start; docs/configuration.md: Local config), or leave config.toml out to use the embedded PostgreSQL';

/**
 * The refusal of a local run to use `refs` (see {@link LOCAL_SECRETS_HINT}): one
 * ConfigError naming the config file and every reference.
 */
export function localSecretsError(source: string, refs: readonly SecretRef[]): ConfigError {
  const named = refs.map((r) => '${' + r.ref + '}').join(', ');
  return new ConfigError(source, [`${named}: ${LOCAL_SECRETS_HINT}`]);
}

/** A SecretReader for a local run: it refuses every read (nothing is sent anywhere). */
export const localSecretReader: SecretReader = {
  parameter: () => Promise.reject(new Error(LOCAL_SECRETS_HINT)),
  secret: () => Promise.reject(new Error(LOCAL_SECRETS_HINT)),
};

/**
 * Reads every secret reference once, in parallel, into the `secrets` map that
 * `loadConfig` takes. A `#key` reference reads one field of a JSON secret (RDS
 * writes its secrets as `{"username":...,"password":...}`); a secret read twice
 * (two keys of one secret) is fetched once.
 *
 * @throws ConfigError listing every reference that could not be read, with the
 *   reason (never a value).
 */
export async function resolveSecretRefs(source: string, refs: readonly SecretRef[], reader: SecretReader): Promise<Record<string, string>> {
  const fetches = new Map<string, Promise<string>>();
  const fetch = (ref: SecretRef) => {
    const id = `${ref.source}:${ref.name}`;
    let p = fetches.get(id);
    if (!p) {
      p = ref.source === 'ssm' ? reader.parameter(ref.name) : reader.secret(ref.name);
      fetches.set(id, p);
    }
    return p;
  };
  const problems: string[] = [];
  const values: Record<string, string> = {};
  await Promise.all(
    refs.map(async (ref) => {
      try {
        const raw = await fetch(ref);
        values[ref.ref] = ref.key === undefined ? raw : jsonField(raw, ref.key);
      } catch (err) {
        problems.push(`\${${ref.ref}}: ${(err as Error).message}`);
      }
    }),
  );
  if (problems.length > 0) throw new ConfigError(`${source} (secrets)`, problems.sort());
  return values;
}

function jsonField(raw: string, key: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    throw new Error(`the secret is not JSON, so it has no field "${key}"; drop "#${key}" to use the whole secret`);
  }
  const value = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new Error(`the secret has no string field "${key}"`);
}
