import { localSecretReader, type SecretReader } from './resolveSecretRefs.js';
import { isLocalRun } from '../awsClients.js';
import type { Settings } from '../settings.js';

/**
 * Reads SSM parameters (SecureString decrypted) and Secrets Manager secrets with
 * the AWS SDK. The SDK clients are imported on first use: only the functions that
 * use databases read secrets, and a static import would add ~50 ms to every other
 * function's cold start. Values are read once per cold start (the App keeps them).
 * In a local run (emulator endpoints set) every read is refused and nothing is sent.
 */
export function createSecretReader(settings: Pick<Settings, 'region' | 'dynamodbEndpoint' | 'sqsEndpoint'>): SecretReader {
  if (isLocalRun(settings)) return localSecretReader;
  return {
    async parameter(name) {
      const { SSMClient, GetParameterCommand } = await import('@aws-sdk/client-ssm');
      const ssm = new SSMClient({ region: settings.region });
      try {
        const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
        if (typeof out.Parameter?.Value !== 'string') throw new Error('the parameter has no value');
        return out.Parameter.Value;
      } finally {
        ssm.destroy();
      }
    },
    async secret(name) {
      const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
      const sm = new SecretsManagerClient({ region: settings.region });
      try {
        const out = await sm.send(new GetSecretValueCommand({ SecretId: name }));
        if (typeof out.SecretString === 'string') return out.SecretString;
        if (out.SecretBinary) return Buffer.from(out.SecretBinary).toString('utf8');
        throw new Error('the secret has no value');
      } finally {
        sm.destroy();
      }
    },
  };
}
