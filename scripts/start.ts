/**
 * `npm start`: the whole product locally. Ctrl-C stops everything it started.
 * Overrides: SQL_JOBBER_CONFIG, SQL_JOBBER_SQL_DIR, SQL_JOBBER_PORT, SQL_JOBBER_DATA_DIR.
 */
import { ConfigError } from '../lib/errors.js';
import { startCommand, startOptionsFromEnv } from './startCommand.js';

let code: number;
try {
  code = await startCommand(startOptionsFromEnv(process.env));
} catch (err) {
  console.error(`SQL Jobber: cannot start: ${err instanceof ConfigError ? err.message : String(err)}`);
  code = 1;
}
process.exit(code);
