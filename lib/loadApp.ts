import { createApp, type App } from './app.js';
import { createAwsClients, isLocalRun } from './awsClients.js';
import { createSecretReader } from './config/createSecretReader.js';
import { loadConfig } from './config/loadConfig.js';
import { localSecretsError, resolveSecretRefs, type SecretReader } from './config/resolveSecretRefs.js';
import { createJobMetrics } from './observability/jobMetrics.js';
import { loadTracing } from './observability/loadTracing.js';
import { readSettings, type Settings } from './settings.js';

/**
 * The cold start of a Lambda function: reads the dsns' `${ssm:...}` /
 * `${secretsmanager:...}` secrets when this function uses databases
 * (`settings.resolveSecrets`), then builds the App with them, with metrics, and
 * with tracing when `[observability] otlp_endpoint` is set.
 * DSNs from the environment (`${ENV}`, the local stack) need no secret reads; a
 * local run (emulator endpoints set) refuses secret references without calling AWS.
 */
export async function loadApp(settings: Settings = readSettings(), reader?: SecretReader): Promise<App> {
  let secrets: Record<string, string> | undefined;
  if (settings.resolveSecrets) {
    const { secretRefs, source } = loadConfig(settings.configPath, settings.env);
    // A local run never reads AWS secrets, whatever credentials the shell holds.
    if (secretRefs.length > 0 && isLocalRun(settings)) throw localSecretsError(source, secretRefs);
    if (secretRefs.length > 0) secrets = await resolveSecretRefs(source, secretRefs, reader ?? createSecretReader(settings));
  }
  const app = createApp(settings, createAwsClients(settings), secrets);
  return { ...app, metrics: createJobMetrics(settings.service), tracing: await loadTracing(app.config.observability, settings.service) };
}

/**
 * The wired Lambda entry point of a handler factory: the first invocation of a
 * container awaits `load` (secrets, config, tasks), then every invocation goes to
 * the handler `make` built with that App. A failed cold start throws (the
 * invocation fails, and the error is in the log) and is tried again on the next
 * invocation, so a missing secret does not leave a container broken for good.
 *
 * ```ts
 * export const handler = onColdStart((app) => makeHandler(app, lazy(() => createDbPools())));
 * ```
 */
export function onColdStart<A extends unknown[], R>(
  make: (app: () => App) => (...args: A) => Promise<R>,
  load: () => Promise<App> = () => loadApp(),
): (...args: A) => Promise<R> {
  let ready: Promise<(...args: A) => Promise<R>> | undefined;
  return async (...args: A) => {
    ready ??= load().then(
      (app) => make(() => app),
      (err: unknown) => {
        ready = undefined;
        throw err;
      },
    );
    return (await ready)(...args);
  };
}
