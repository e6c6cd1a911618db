/**
 * `npm run check`: loads the config and the task files, prepares every non-raw task
 * on its databases, prints the result per task and exits non-zero on any error; warns
 * about each source database whose user could write.
 *
 * It reads the config as `npm start` does: when there is no config.toml (or it names
 * no databases), the tasks are checked against the embedded PostgreSQL, that of the
 * running `npm start` on this port if there is one, else one started for the check.
 * `--config PATH` and `--sql-directory DIR` (repeatable) win over the environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, parseConfig } from '../lib/config/loadConfig.js';
import { localSecretsError } from '../lib/config/resolveSecretRefs.js';
import type { Config } from '../lib/config/types.js';
import { ConfigError } from '../lib/errors.js';
import { readSettings } from '../lib/settings.js';
import { withTaskFiles } from '../lib/tasks/loadConfigAndTasks.js';
import { checkTasks, printCheck } from './checkTasks.js';
import { checkWriteAccess, printWriteAccess } from './checkWriteAccess.js';
import { CliError, parseCliOptions } from './cliOptions.js';
import { ROOT } from './localStack.js';
import { startOptionsFromEnv } from './startCommand.js';
import { claimDataDir, readOwner } from './stack/dataDirLock.js';
import { embeddedDataDir, embeddedSections, EMBEDDED_DB, EMBEDDED_RESULTS, hasDbSection } from './stack/embeddedConfig.js';
import { RESULTS_DB, SAMPLE_DB, startEmbeddedPostgres } from './stack/startEmbeddedPostgres.js';

const settings = readSettings();
let stopEmbedded = async () => {};
try {
  const cli = parseCliOptions(process.argv.slice(2), 'check');
  if (cli.kind === 'help') {
    console.log(cli.text);
    process.exit(0);
  }
  if (cli.kind === 'refused' || cli.kind === 'version') {
    for (const line of cli.kind === 'refused' ? cli.lines : ['--version: see npx sql-jobber --version']) console.error(line);
    process.exit(2);
  }
  const options = startOptionsFromEnv(process.env);
  const configPath = path.resolve(cli.configPath ?? settings.configPath);
  const sqlDirs = cli.sqlDirs ?? settings.sqlDirs;
  const text = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  let config: Config;
  if (hasDbSection(text)) {
    config = loadConfig(configPath, settings.env);
    console.log(`config ${configPath}: ok`);
  } else {
    const port = options.port ?? 6060;
    const dataDir = embeddedDataDir(options.dataDir ?? path.join(ROOT, '.sqljobber'), port);
    const owner = readOwner(dataDir);
    let urls: { source: string; results: string };
    if (owner?.pgPort !== undefined) {
      const url = (db: string) => `postgres://postgres:postgres@127.0.0.1:${owner.pgPort}/${db}`;
      urls = { source: url(SAMPLE_DB), results: url(RESULTS_DB) };
      console.log(`using the embedded PostgreSQL of the npm start running on port ${owner.port} (pid ${owner.pid})`);
    } else {
      const lock = claimDataDir(dataDir, { pid: process.pid, port });
      process.once('exit', () => lock.release());
      const pg = await startEmbeddedPostgres({ dataDir });
      stopEmbedded = async () => {
        await pg.stop();
        lock.release();
      };
      urls = { source: pg.sourceUrl, results: pg.resultsUrl };
      console.log(`started the embedded PostgreSQL for this check (${dataDir}); it stops when the check ends`);
    }
    const source = `${existsSync(configPath) ? configPath : `${configPath} (not found)`} + the embedded PostgreSQL`;
    config = parseConfig(text + embeddedSections(urls.source, urls.results), source, settings.env);
    console.log(
      `config: ${existsSync(configPath) ? `${configPath} names no databases` : `no ${configPath}`}, so, as npm start does, ` +
        `the tasks are checked against the embedded PostgreSQL: db "${EMBEDDED_DB}" (${SAMPLE_DB}), results "${EMBEDDED_RESULTS}" (${RESULTS_DB})`,
    );
  }
  // A local run never reads AWS secrets (docs/configuration.md: Local config).
  if (config.secretRefs.length > 0) throw localSecretsError(configPath, config.secretRefs);
  const loaded = withTaskFiles(config, sqlDirs);
  config = loaded.config;
  const tasks = loaded.tasks;
  const queues = Object.values(config.queues).map((q) => `${q.name} (concurrency ${q.concurrency}${q.declaredBy === 'tasks' ? ', from the task files' : ''})`);
  console.log(`${tasks.tasks.size} task(s) in ${sqlDirs.join(', ')}; queues ${queues.join(', ')}`);
  const checks = await checkTasks(config, tasks);
  printCheck(checks);
  // A warning, not a failure: the embedded PostgreSQL of npm start, for one, is run by its superuser.
  printWriteAccess(await checkWriteAccess(config));
  await stopEmbedded();
  process.exit(checks.some((c) => !c.ok) ? 1 : 0);
} catch (err) {
  await stopEmbedded().catch(() => undefined);
  console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err));
  process.exit(err instanceof CliError ? 2 : 1);
}
