/** Settings shared by the local AWS emulators (fauxqs, DynamoDB Local) and their clients. */

/** The only address any part of the local stack listens on or talks to. */
export const LOOPBACK = '127.0.0.1';
export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT_ID = '000000000000';
/** Any static credentials do: the emulators do not check them. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** Client config for an AWS SDK v3 client talking to a local emulator at `endpoint`. */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 3 };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
