/**
 * Writes the typed client's generated parts from the OpenAPI document:
 * client/openapi.json and client/src/schema.ts (openapi-typescript). Run after
 * changing a route or a schema: `npm run generate:client`.
 * test/unit/client.test.ts fails while these files are out of date.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from '../lib/openapi/openApiDocument.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/** The document the client is generated from (auth none: the security scheme depends on the deployment). */
export const clientDocument = () => openApiDocument({ auth: 'none', jwtAudience: [] });

/** The generated files, by path relative to the root. */
export async function generatedClientFiles(): Promise<Record<string, string>> {
  const doc = clientDocument();
  const ast = await openapiTS(structuredClone(doc) as never, { alphabetize: false });
  const header = '// Generated from the OpenAPI document by scripts/generateClient.ts (npm run generate:client). Do not edit.\n\n';
  return {
    'client/openapi.json': `${JSON.stringify(doc, null, 2)}\n`,
    'client/src/schema.ts': header + astToString(ast),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [file, text] of Object.entries(await generatedClientFiles())) {
    writeFileSync(path.join(ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}
