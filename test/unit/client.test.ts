/**
 * The typed client's generated parts (client/openapi.json, client/src/schema.ts)
 * match what the current routes and schemas generate: a route or schema changed
 * without `npm run generate:client` fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedClientFiles } from '../../scripts/generateClient.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the typed client', () => {
  it('is generated from the current OpenAPI document (npm run generate:client)', async () => {
    const files = await generatedClientFiles();
    expect(Object.keys(files).sort()).toEqual(['client/openapi.json', 'client/src/schema.ts']);
    for (const [file, text] of Object.entries(files)) expect(readFileSync(path.join(ROOT, file), 'utf8'), file).toBe(text);
  });
});
