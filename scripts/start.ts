/**
 * `npm start` and `sql-jobber` (bin/sql-jobber.js): the whole product locally.
 * Ctrl-C stops everything it started. Flags (--help lists them) win over the
 * environment: SQL_JOBBER_CONFIG, SQL_JOBBER_SQL_DIR, SQL_JOBBER_PORT, SQL_JOBBER_DATA_DIR.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../lib/errors.js';
import { readSettings } from '../lib/settings.js';
import { CliError, parseCliOptions, type CliOptions } from './cliOptions.js';

let cli: CliOptions;
try {
  cli = parseCliOptions(process.argv.slice(2), 'start');
} catch (err) {
  if (!(err instanceof CliError)) throw err;
  console.error(`sql-jobber: ${err.message}`);
  process.exit(2);
}
if (cli.kind === 'help') {
  console.log(cli.text);
  process.exit(0);
}
if (cli.kind === 'version') {
  console.log(`sql-jobber ${(JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string }).version}`);
  process.exit(0);
}
if (cli.kind === 'refused') {
  for (const line of cli.lines) console.error(`sql-jobber: ${line}`);
  process.exit(2);
}
const flags = cli;

// Loaded only now, so that --help and the answers above come at once.
const { startCommand, startOptionsFromEnv } = await import('./startCommand.js');
let code: number;
try {
  // Paths are relative to the working directory, as dungbeetle's flags are (npm start runs in the project).
  const settings = readSettings();
  code = await startCommand({
    ...startOptionsFromEnv(process.env),
    configPath: path.resolve(flags.configPath ?? settings.configPath),
    sqlDir: (flags.sqlDirs ?? settings.sqlDirs).map((dir) => path.resolve(dir)),
    ...(flags.port === undefined ? {} : { port: flags.port }),
  });
} catch (err) {
  console.error(`SQL Jobber: cannot start: ${err instanceof ConfigError ? err.message : String(err)}`);
  code = 1;
}
process.exit(code);
