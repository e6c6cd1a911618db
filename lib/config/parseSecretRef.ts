import type { SecretRef } from './types.js';

/** `${...}` text that names a secret store rather than an environment variable. */
export const SECRET_SOURCE = /^(ssm|secretsmanager):/;

// SSM: letters, digits, _ . - and / (hierarchies); at most 1011 characters (AWS's limit for full names).
const SSM_NAME = /^[A-Za-z0-9_.\-/]{1,1011}$/;
const SSM_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_.\-/]+$/;
// Secrets Manager: letters, digits and /_+=.@- ; `!` appears in RDS-managed secrets (rds!db-...).
const SECRET_NAME = /^[A-Za-z0-9/_+=.@!-]{1,512}$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
const JSON_KEY = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * Reads a secret reference, the text between `${` and `}` that starts with `ssm:` or
 * `secretsmanager:`:
 *
 * - `ssm:/sqljobber/prod/source-dsn` (a parameter name, or its ARN): the parameter's
 *   value, SecureString decrypted;
 * - `secretsmanager:prod/source-dsn` (a secret name, or its ARN): the secret string;
 *   `secretsmanager:rds!db-1234#password`: one field of a JSON secret (as RDS writes them).
 *
 * @throws Error saying what is wrong with the reference (the caller adds the key path).
 */
export function parseSecretRef(ref: string): SecretRef {
  const source = SECRET_SOURCE.exec(ref)?.[1] as SecretRef['source'] | undefined;
  if (source === undefined) throw new Error(`\${${ref}} is not a secret reference (expected ssm:NAME or secretsmanager:NAME)`);
  const rest = ref.slice(source.length + 1);
  if (source === 'ssm') {
    if (!(SSM_NAME.test(rest) || SSM_ARN.test(rest)) || rest.includes('//')) {
      throw new Error(`\${${ref}}: expected an SSM parameter name such as /sqljobber/prod/source-dsn (letters, digits, _ . - /) or its ARN`);
    }
    return { ref, source, name: rest };
  }
  const hash = rest.lastIndexOf('#');
  const name = hash < 0 ? rest : rest.slice(0, hash);
  const key = hash < 0 ? undefined : rest.slice(hash + 1);
  if (!(SECRET_NAME.test(name) || SECRET_ARN.test(name))) {
    throw new Error(`\${${ref}}: expected a Secrets Manager secret name such as prod/source-dsn (letters, digits, /_+=.@-) or its ARN`);
  }
  if (key !== undefined && !JSON_KEY.test(key)) {
    throw new Error(`\${${ref}}: expected a JSON field name after "#" (letters, digits, _ . -), e.g. #password`);
  }
  return key === undefined ? { ref, source, name } : { ref, source, name, key };
}
