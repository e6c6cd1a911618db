/**
 * Writes the typed client's generated parts: client/openapi.json and
 * client/src/schema.ts (openapi-typescript) from the OpenAPI document, and
 * client/src/tasks.ts (each task's `args`) from the task files. Run after
 * changing a route, a schema or a task's parameters: `npm run generate:client`.
 * It reads the task files as `npm run check` does (SQL_JOBBER_SQL_DIR, default
 * ./sql; SQL_JOBBER_CONFIG when it names databases, else the sample ones).
 * test/unit/client.test.ts fails while these files are out of date.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { parseConfig } from '../lib/config/loadConfig.js';
import { openApiDocument } from '../lib/openapi/openApiDocument.js';
import { readSettings } from '../lib/settings.js';
import { withTaskFiles } from '../lib/tasks/loadConfigAndTasks.js';
import { taskArgsTypeScript } from '../lib/tasks/params/taskArgsTypeScript.js';
import type { Task } from '../lib/tasks/types.js';
import { embeddedSections, hasDbSection } from './stack/embeddedConfig.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The tasks the client is typed for: the task files read against the config, or, when it names no databases, against the sample's. */
export function clientTasks(sqlDirs: readonly string[] = [path.join(ROOT, 'sql')], configPath?: string): Task[] {
  const text = configPath && existsSync(configPath) ? readFileSync(configPath, 'utf8') : '';
  // The dsns are never used: only the engines' dialects matter here.
  const config = parseConfig(hasDbSection(text) ? text : text + embeddedSections('postgres://127.0.0.1/sample', 'postgres://127.0.0.1/results'), configPath ?? 'the sample config', {});
  return [...withTaskFiles(config, sqlDirs).tasks.tasks.values()];
}

/** The document the client is generated from (auth none: the security scheme depends on the deployment). */
export const clientDocument = (tasks: readonly Task[] = clientTasks()) => openApiDocument({ auth: 'none', jwtAudience: [] }, undefined, tasks);

/** The generated files, by path relative to the root. */
export async function generatedClientFiles(tasks: readonly Task[] = clientTasks()): Promise<Record<string, string>> {
  const doc = clientDocument(tasks);
  const ast = await openapiTS(structuredClone(doc) as never, { alphabetize: false });
  const header = '// Generated from the OpenAPI document by scripts/generateClient.ts (npm run generate:client). Do not edit.\n\n';
  return {
    'client/openapi.json': `${JSON.stringify(doc, null, 2)}\n`,
    'client/src/schema.ts': header + astToString(ast),
    'client/src/tasks.ts': header.replace('the OpenAPI document', 'the task files') + taskArgsTypeScript(tasks),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const settings = readSettings();
  const dirs = process.env.SQL_JOBBER_SQL_DIR ? settings.sqlDirs : undefined;
  const tasks = clientTasks(dirs, process.env.SQL_JOBBER_CONFIG ? settings.configPath : undefined);
  for (const [file, text] of Object.entries(await generatedClientFiles(tasks))) {
    writeFileSync(path.join(ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}
